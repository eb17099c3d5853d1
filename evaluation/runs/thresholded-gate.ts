import type { GateSpec } from '../../contracts/cascade/gate-spec';
import type { GateVerdict } from '../../contracts/cascade/gate-verdict';
import { confidenceGateThreshold } from '../../gates/confidence';
import { EvaluationInputError, evaluationInputErrorTypes } from './evaluation-input-error';

/** Gate kinds whose verdict compares a score with a threshold. */
const thresholdedKinds = new Set<GateSpec['kind']>(['confidence', 'self-consistency', 'judge', 'weighted']);

/**
 * The score a thresholded gate is held to. A confidence gate that decides on its raw signal also gives
 * `signalThreshold`; `threshold` is then the score that signal maps to (the gate's calibration, or the
 * uncalibrated score), the threshold on the score that accepts at least every answer the gate accepts
 * (exactly those, unless a flat step of the calibration holds signals on both sides).
 */
export interface GateThreshold {
  threshold: number;
  signalThreshold?: number;
}

/**
 * Where a route's gate holds its one threshold:
 * - `whole`: the gate itself is thresholded;
 * - `child`: an `all` gate whose child at `index` is thresholded and whose other children are deterministic;
 * - `none`: the gate is deterministic throughout (pass or fail, no threshold).
 */
export type ThresholdedGate =
  ({ kind: 'whole' } & GateThreshold) | ({ kind: 'child'; index: number } & GateThreshold) | { kind: 'none' };

/** What an evaluation record takes from a verdict. */
export interface GateReading {
  score: number;
  deterministicPass: boolean;
  signal: number | undefined;
}

/**
 * Finds the thresholded part of a gate.
 *
 * @throws EvaluationInputError `UnsupportedGate` for an `any` gate with a thresholded gate inside, an `all`
 *   gate with more than one thresholded child, or a thresholded gate nested deeper than one level.
 */
export function findThresholdedGate(gate: GateSpec): ThresholdedGate {
  if (isThresholded(gate)) return { kind: 'whole', ...thresholdOfGate(gate) };
  if (!containsThresholded(gate)) return { kind: 'none' };
  if (gate.kind === 'all') {
    const thresholdedChildren = gate.gates.flatMap((child, index) =>
      containsThresholded(child) ? [{ child, index }] : [],
    );
    const only = thresholdedChildren[0];
    if (thresholdedChildren.length === 1 && only && isThresholded(only.child))
      return { kind: 'child', index: only.index, ...thresholdOfGate(only.child) };
  }
  throw new EvaluationInputError({
    type: evaluationInputErrorTypes.unsupportedGate,
    message: `analyze reads one thresholded gate (confidence, self-consistency, judge or weighted), alone or as a child of an "all" gate whose other children are deterministic; this route's "${gate.kind}" gate is shaped otherwise`,
  });
}

/** The threshold the route runs at: the thresholded gate's, or 1 for a pass-or-fail gate (its score is 1 or 0). */
export function thresholdOf(thresholded: ThresholdedGate): number {
  return thresholded.kind === 'none' ? 1 : thresholded.threshold;
}

/**
 * Reads score, deterministic checks and raw signal from the gate's verdict on the cheap answer. Without a
 * verdict (the cheap tier gave no answer) the item escalates at every threshold: score 0, checks failed.
 */
export function readGateVerdict(thresholded: ThresholdedGate, verdict: GateVerdict | undefined): GateReading {
  if (!verdict) return { score: 0, deterministicPass: false, signal: undefined };
  switch (thresholded.kind) {
    case 'none':
      return { score: verdict.passed ? 1 : 0, deterministicPass: true, signal: undefined };
    case 'whole':
      return { score: verdict.score, deterministicPass: true, signal: verdict.signal };
    case 'child': {
      const children = verdict.children ?? [];
      const child = children[thresholded.index];
      if (!child) throw new Error(`the gate verdict has no child ${thresholded.index}: ${verdict.detail}`);
      return {
        score: child.score,
        deterministicPass: children.every((other, index) => index === thresholded.index || other.passed),
        signal: child.signal,
      };
    }
  }
}

function isThresholded(
  gate: GateSpec,
): gate is Extract<GateSpec, { kind: 'confidence' | 'self-consistency' | 'judge' | 'weighted' }> {
  return thresholdedKinds.has(gate.kind);
}

function thresholdOfGate(
  gate: Extract<GateSpec, { kind: 'confidence' | 'self-consistency' | 'judge' | 'weighted' }>,
): GateThreshold {
  if (gate.kind === 'confidence' && gate.signalThreshold !== undefined) return confidenceGateThreshold(gate);
  if (gate.threshold === undefined)
    throw new EvaluationInputError({
      type: evaluationInputErrorTypes.unsupportedGate,
      message: `the ${gate.kind} gate has no threshold`,
    });
  return { threshold: gate.threshold };
}

function containsThresholded(gate: GateSpec): boolean {
  if (isThresholded(gate)) return true;
  if (gate.kind === 'all' || gate.kind === 'any') return gate.gates.some(containsThresholded);
  return false;
}
