import type { GateVerdict } from '../contracts/cascade/gate-verdict';

/** The verdict of a leaf gate that accepted the answer: score 1, no reasons. */
export function passedVerdict(gate: string, detail: string): GateVerdict {
  return { gate, passed: true, score: 1, reasons: [], detail: singleLine(detail) };
}

/** The verdict of a leaf gate that rejected the answer. */
export function failedVerdict(options: {
  gate: string;
  /** A stable reason code from `escalationReasons`. */
  reason: string;
  detail: string;
  /** @default 0 */
  score?: number;
}): GateVerdict {
  return {
    gate: options.gate,
    passed: false,
    score: options.score ?? 0,
    reasons: [options.reason],
    detail: singleLine(options.detail),
  };
}

/** Folds whitespace runs (newlines included) to one space, since `detail` is one line. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
