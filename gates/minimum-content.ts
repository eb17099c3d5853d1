import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { failedVerdict, passedVerdict } from './leaf-verdict';

export type MinimumContentGateSpec = Extract<GateSpec, { kind: 'minimum-content' }>;

/**
 * Rejects an answer shorter than `minCharacters` characters (of the trimmed text, counted as Unicode code
 * points, @default 1) or than `minWords` whitespace-separated words (@default 0). Reason `too_short`.
 * The score is how much of the requirement is met: `min(1, characters / minCharacters)`, and the same for
 * words; with both set, the lower of the two.
 */
export function evaluateMinimumContentGate(spec: MinimumContentGateSpec, answer: { text: string }): GateVerdict {
  const minCharacters = spec.minCharacters ?? 1;
  const minWords = spec.minWords ?? 0;
  const trimmed = answer.text.trim();
  const characters = Array.from(trimmed).length;
  const words = trimmed.length === 0 ? 0 : trimmed.split(/\s+/u).length;

  const measured = `${characters} ${plural(characters, 'character')} and ${words} ${plural(words, 'word')}`;
  const required = `at least ${minCharacters} ${plural(minCharacters, 'character')} and ${minWords} ${plural(minWords, 'word')}`;
  if (characters >= minCharacters && words >= minWords) {
    return passedVerdict(spec.kind, `answer has ${measured} (${required} required)`);
  }
  return failedVerdict({
    gate: spec.kind,
    reason: escalationReasons.tooShort,
    detail: `answer has ${measured}; ${required} required`,
    score: Math.min(fraction(characters, minCharacters), fraction(words, minWords)),
  });
}

function fraction(measured: number, minimum: number): number {
  return minimum === 0 ? 1 : Math.min(1, measured / minimum);
}

function plural(count: number, noun: string): string {
  return count === 1 ? noun : `${noun}s`;
}
