import type { Calibration, GateSpec } from '../../contracts/cascade/gate-spec';
import { TuningError } from './tuning-error';

/**
 * The part of a tuning a gate takes: a confidence gate takes `signalThreshold` (the decision on its raw
 * signal) and optionally a `calibration` (its score); the other thresholded gates take `threshold` (a score
 * from 0 to 1).
 */
export type GateTuning =
  | { signalThreshold: number; calibration?: Calibration; threshold?: undefined }
  | { threshold: number; calibration?: Calibration; signalThreshold?: undefined };

type ThresholdedKind = 'confidence' | 'self-consistency' | 'judge' | 'weighted';
const thresholdedKinds: readonly string[] = [
  'confidence',
  'self-consistency',
  'judge',
  'weighted',
] satisfies ThresholdedKind[];

/**
 * A new gate tree in which the one thresholded gate (`confidence`, `self-consistency`, `judge` or
 * `weighted`) holds the tuning. A confidence gate takes a `signalThreshold` (which replaces a score
 * `threshold`, so the gate keeps exactly one) or a score `threshold` (which replaces a `signalThreshold`),
 * and the calibration when given. The search goes through `all` and `any` but not into a `weighted` gate's
 * children: a weighted gate passes on its own threshold whatever its children's verdicts, so it is the one
 * that counts. The input is not changed.
 *
 * @throws TuningError when the tree has no thresholded gate or more than one, when a calibration or a signal
 *   threshold is given for a gate that is not `confidence`, when a signal threshold is not finite, or when a
 *   score threshold is not in [0, 1] (escalating everything cannot be written as a threshold: route such
 *   traffic to the flagship instead).
 */
export function applyTuningToGate(gate: GateSpec, tuning: GateTuning): GateSpec {
  if (tuning.signalThreshold !== undefined) {
    if (!Number.isFinite(tuning.signalThreshold))
      throw new TuningError({
        message: `the tuned signal threshold must be a finite number, got ${String(tuning.signalThreshold)}`,
      });
  } else if (!(tuning.threshold >= 0 && tuning.threshold <= 1)) {
    throw new TuningError({
      message: `the tuned threshold must be in [0, 1] to be written into a gate, got ${String(tuning.threshold)}`,
    });
  }
  const found = thresholdedGatePaths(gate, 'gate');
  if (found.length !== 1) {
    const where = found.length === 0 ? 'none' : found.join(', ');
    throw new TuningError({
      message: `the gate tree must hold exactly one thresholded gate (confidence, self-consistency, judge or weighted) to tune, found ${found.length}: ${where}`,
    });
  }
  return withTuning(gate, tuning);
}

function thresholdedGatePaths(gate: GateSpec, path: string): string[] {
  if (thresholdedKinds.includes(gate.kind)) return [`${path} (${gate.kind})`];
  if (gate.kind === 'all' || gate.kind === 'any')
    return gate.gates.flatMap((child, index) => thresholdedGatePaths(child, `${path}.gates[${index}]`));
  return [];
}

function withTuning(gate: GateSpec, tuning: GateTuning): GateSpec {
  switch (gate.kind) {
    case 'all':
    case 'any':
      return { ...gate, gates: gate.gates.map((child) => withTuning(child, tuning)) };
    case 'confidence': {
      const tuned: typeof gate = { ...gate };
      delete tuned.threshold;
      delete tuned.signalThreshold;
      if (tuning.signalThreshold !== undefined) tuned.signalThreshold = tuning.signalThreshold;
      else tuned.threshold = tuning.threshold;
      return tuning.calibration === undefined ? tuned : { ...tuned, calibration: tuning.calibration };
    }
    case 'self-consistency':
    case 'judge':
    case 'weighted':
      if (tuning.calibration !== undefined || tuning.signalThreshold !== undefined) {
        throw new TuningError({
          message: `a calibration or a signal threshold can only be written into a confidence gate, but the thresholded gate is ${gate.kind}`,
        });
      }
      return { ...gate, threshold: tuning.threshold };
    default:
      return gate;
  }
}
