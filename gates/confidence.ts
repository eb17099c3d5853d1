import type { TokenLogprob } from '../common/model-answer';
import { CalibrationError } from '../calibration/calibration-error';
import { applyCalibration } from '../calibration/apply-calibration';
import type { ConfidenceAggregation, GateSpec } from '../common/gate-spec';
import type { GateInput } from '../common/gate-signals';
import { escalationReasons, type GateVerdict } from '../common/gate-verdict';
import { GateConfigurationError } from './gate-configuration-error';

export type ConfidenceGateSpec = Extract<GateSpec, { kind: 'confidence' }>;

export const defaultConfidenceAggregation: ConfidenceAggregation = 'first-token';

/** A token with no letter and no digit (white space, `(`, `"`, `**`, `$`) says nothing about the answer. */
const meaningfulToken = /[\p{L}\p{N}]/u;

/**
 * One signal from an answer's token log-probabilities (at most 0; higher is more confident):
 *
 * - `first-token`: the first token holding a letter or a digit, so `(B)` or ` "B"` are judged by `B`
 *   (the first token when none does);
 * - `mean`: the mean over all tokens;
 * - `minimum`: the least likely token.
 *
 * `undefined` when there are no tokens, or when the result is not a number.
 */
export function aggregateLogprobs(logprobs: readonly TokenLogprob[], aggregation: ConfidenceAggregation): number | undefined {
  if (logprobs.length === 0) return undefined;
  let signal: number;
  switch (aggregation) {
    case 'first-token':
      signal = (logprobs.find((entry) => meaningfulToken.test(entry.token)) ?? logprobs[0]!).logprob;
      break;
    case 'mean':
      signal = logprobs.reduce((sum, entry) => sum + entry.logprob, 0) / logprobs.length;
      break;
    case 'minimum':
      signal = logprobs.reduce((lowest, entry) => Math.min(lowest, entry.logprob), Infinity);
      break;
    default:
      throw new GateConfigurationError(`confidence gate: unknown aggregation ${JSON.stringify(aggregation)}`);
  }
  return Number.isNaN(signal) ? undefined : signal;
}

/** The raw signal the confidence gate reads from an answer (before calibration); `undefined` when it has none. */
export function confidenceSignal(spec: ConfidenceGateSpec, input: GateInput): number | undefined {
  return aggregateLogprobs(input.logprobs ?? [], spec.aggregation ?? defaultConfidenceAggregation);
}

/**
 * Accepts an answer whose score, the probability that it is right, reaches `threshold` (a score equal
 * to the threshold passes). The score is the calibrated signal, or exp(signal) without a calibration.
 * Reason `low_confidence`. An answer without log-probabilities fails with reason `no_signal` and score 0,
 * or, with `whenNoSignal: 'accept'`, passes with score 1 and a detail saying so.
 * Pure and deterministic. A calibration that cannot be applied throws `GateConfigurationError`.
 */
export function evaluateConfidenceGate(spec: ConfidenceGateSpec, input: GateInput): GateVerdict {
  const aggregation = spec.aggregation ?? defaultConfidenceAggregation;
  const signal = confidenceSignal(spec, input);
  if (signal === undefined) return noSignalVerdict(spec);

  const score = scoreSignal(spec, signal);
  const passed = score >= spec.threshold;
  const method = spec.calibration?.method ?? 'uncalibrated';
  const comparison = passed ? 'reaches' : 'below';
  const [shownScore, shownThreshold] = formatProbabilities(score, spec.threshold);
  return {
    gate: spec.kind,
    passed,
    score,
    reasons: passed ? [] : [escalationReasons.lowConfidence],
    threshold: spec.threshold,
    // -Infinity is not JSON: a signal that low is recorded as the lowest finite number.
    signal: Number.isFinite(signal) ? signal : -Number.MAX_VALUE,
    detail: `confidence ${shownScore} (${aggregation} logprob ${formatLogprob(signal)}, ${method}) ${comparison} threshold ${shownThreshold}`,
  };
}

function scoreSignal(spec: ConfidenceGateSpec, signal: number): number {
  if (spec.calibration === undefined) return Math.min(1, Math.exp(signal));
  try {
    return applyCalibration(spec.calibration, signal);
  } catch (error) {
    if (error instanceof CalibrationError) throw new GateConfigurationError(`confidence gate: ${error.message}`);
    throw error;
  }
}

function noSignalVerdict(spec: ConfidenceGateSpec): GateVerdict {
  const common = { gate: spec.kind, threshold: spec.threshold };
  if ((spec.whenNoSignal ?? 'escalate') === 'accept') {
    return {
      ...common,
      passed: true,
      score: 1,
      reasons: [],
      detail: 'no confidence signal: the provider returned no log-probabilities; accepted by the route policy (whenNoSignal: accept)',
    };
  }
  return {
    ...common,
    passed: false,
    score: 0,
    reasons: [escalationReasons.noSignal],
    detail: 'no confidence signal: the provider returned no log-probabilities (whenNoSignal: escalate)',
  };
}

/** Two decimals, or as many more (up to 6) as it takes for a score that differs from the threshold to look different. */
function formatProbabilities(score: number, threshold: number): [string, string] {
  for (let digits = 2; digits < 6; digits += 1) {
    const shown: [string, string] = [score.toFixed(digits), threshold.toFixed(digits)];
    if (score === threshold || shown[0] !== shown[1]) return shown;
  }
  return [score.toFixed(6), threshold.toFixed(6)];
}

/** Two significant digits: `-0.48`, `-0.000012`, `-15`. */
function formatLogprob(signal: number): string {
  return Number.isFinite(signal) ? String(Number(signal.toPrecision(2))) : String(signal);
}
