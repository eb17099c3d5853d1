import type { TokenLogprob } from '../contracts/cascade/tokens';
import { CalibrationError } from './calibration/calibration-error';
import { applyCalibration } from './calibration/apply-calibration';
import { logistic } from './calibration/logistic';
import type { ConfidenceAggregation, GateSpec } from '../contracts/cascade/gate-spec';
import type { GateInput } from '../contracts/cascade/gate-signals';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { GateConfigurationError } from './gate-configuration-error';

export type ConfidenceGateSpec = Extract<GateSpec, { kind: 'confidence' }>;

export const defaultConfidenceAggregation: ConfidenceAggregation = 'first-token';

/** A token with no letter and no digit (white space, `(`, `"`, `**`, `$`) says nothing about the answer. */
const meaningfulToken = /[\p{L}\p{N}]/u;

/**
 * One signal from an answer's token log-probabilities (higher is more confident):
 *
 * - `first-token`: the log-probability of the answer token, the first token holding a letter or a
 *   digit, so `(B)` or ` "B"` are judged by `B` (the first token when none does);
 * - `mean`: the mean over all tokens;
 * - `minimum`: the least likely token;
 * - `margin`: the answer token's log-probability minus the highest among its other alternatives
 *   (`topLogprobs`; an entry for the token itself is skipped). Negative when the token sampled was
 *   not the most likely. It separates answers whose log-probability is saturated at 0.
 *
 * The first three are at most 0. `undefined` when there are no tokens, when `margin` finds no
 * alternative to the answer token, or when the result is not a number.
 */
export function aggregateLogprobs(
  logprobs: readonly TokenLogprob[],
  aggregation: ConfidenceAggregation,
): number | undefined {
  if (logprobs.length === 0) return undefined;
  let signal: number | undefined;
  switch (aggregation) {
    case 'first-token':
      signal = answerToken(logprobs).logprob;
      break;
    case 'mean':
      signal = logprobs.reduce((sum, entry) => sum + entry.logprob, 0) / logprobs.length;
      break;
    case 'minimum':
      signal = logprobs.reduce((lowest, entry) => Math.min(lowest, entry.logprob), Infinity);
      break;
    case 'margin':
      signal = marginOverRunnerUp(answerToken(logprobs));
      break;
    default:
      throw new GateConfigurationError({
        message: `confidence gate: unknown aggregation ${JSON.stringify(aggregation)}`,
      });
  }
  return signal === undefined || Number.isNaN(signal) ? undefined : signal;
}

/** The token an answer is judged by: the first holding a letter or a digit, or the first token when none does. */
function answerToken(logprobs: readonly TokenLogprob[]): TokenLogprob {
  return logprobs.find((entry) => meaningfulToken.test(entry.token)) ?? logprobs[0]!;
}

function marginOverRunnerUp(entry: TokenLogprob): number | undefined {
  const others = (entry.topLogprobs ?? []).filter((alternative) => alternative.token !== entry.token);
  if (others.length === 0) return undefined;
  return entry.logprob - Math.max(...others.map((alternative) => alternative.logprob));
}

/** The raw signal the confidence gate reads from an answer (before calibration); `undefined` when it has none. */
export function confidenceSignal(spec: ConfidenceGateSpec, input: GateInput): number | undefined {
  return aggregateLogprobs(input.logprobs ?? [], spec.aggregation ?? defaultConfidenceAggregation);
}

/**
 * The probability that the answer is right, from its raw signal: the calibration's, or without one
 * exp(signal) (capped at 1), and for `margin` the logistic of the margin, p1 / (p1 + p2): the token's
 * share of the top two.
 *
 * @throws GateConfigurationError when the calibration cannot be applied.
 */
export function confidenceScore(spec: ConfidenceGateSpec, signal: number): number {
  if (spec.calibration === undefined) {
    return (spec.aggregation ?? defaultConfidenceAggregation) === 'margin'
      ? logistic(signal)
      : Math.min(1, Math.exp(signal));
  }
  try {
    return applyCalibration(spec.calibration, signal);
  } catch (error) {
    if (CalibrationError.isInstance(error))
      throw new GateConfigurationError({ message: `confidence gate: ${error.message}` });
    throw error;
  }
}

/**
 * Accepts an answer whose score, the probability that it is right, reaches `threshold` (a score equal
 * to the threshold passes); the score is `confidenceScore` of the signal. With `signalThreshold`
 * instead, the raw signal decides (a signal equal to it passes), and the score only reports: a step
 * calibration (isotonic) would otherwise merge many signals into one score. The verdict's `threshold`
 * is then the score the signal threshold maps to, beside `signalThreshold`.
 * Reason `low_confidence`. An answer without a signal (no log-probabilities; for `margin`, no
 * alternative to the answer token) fails with reason `no_signal` and score 0, or, with
 * `whenNoSignal: 'accept'`, passes with score 1 and a detail saying so.
 * Pure and deterministic. A calibration that cannot be applied, or a spec with neither threshold, throws
 * `GateConfigurationError`.
 */
export function evaluateConfidenceGate(spec: ConfidenceGateSpec, input: GateInput): GateVerdict {
  const aggregation = spec.aggregation ?? defaultConfidenceAggregation;
  const held = confidenceGateThreshold(spec);
  const signal = confidenceSignal(spec, input);
  if (signal === undefined) return noSignalVerdict({ spec, held, hadLogprobs: (input.logprobs?.length ?? 0) > 0 });

  const score = confidenceScore(spec, signal);
  const passed = held.signalThreshold === undefined ? score >= held.threshold : signal >= held.signalThreshold;
  const method = spec.calibration?.method ?? 'uncalibrated';
  const comparison = passed ? 'reaches' : 'below';
  const read = `${aggregation === 'margin' ? 'margin' : `${aggregation} logprob`} ${formatLogprob(signal)}, ${method}`;
  let detail: string;
  if (held.signalThreshold === undefined) {
    const [shownScore, shownThreshold] = showApart({
      value: score,
      threshold: held.threshold,
      format: (shown, digits) => shown.toFixed(digits),
    });
    detail = `confidence ${shownScore} (${read}) ${comparison} threshold ${shownThreshold}`;
  } else {
    const [shownSignal, shownSignalThreshold] = showApart({
      value: signal,
      threshold: held.signalThreshold,
      format: formatLogprob,
    });
    detail = `confidence ${score.toFixed(2)} (${read}): signal ${shownSignal} ${comparison} signal threshold ${shownSignalThreshold}`;
  }
  return {
    gate: spec.kind,
    passed,
    score,
    reasons: passed ? [] : [escalationReasons.lowConfidence],
    ...held,
    // ±Infinity is not JSON: a signal that extreme is recorded as the largest finite number of its sign.
    signal: Number.isFinite(signal) ? signal : Math.sign(signal) * Number.MAX_VALUE,
    detail,
  };
}

/**
 * What the gate is held to, as its verdict records it: the score threshold, and the signal threshold when
 * that decides (the score threshold is then the score that signal maps to).
 *
 * @throws GateConfigurationError when the spec gives neither threshold.
 */
export function confidenceGateThreshold(spec: ConfidenceGateSpec): { threshold: number; signalThreshold?: number } {
  if (spec.signalThreshold !== undefined)
    return { threshold: confidenceScore(spec, spec.signalThreshold), signalThreshold: spec.signalThreshold };
  if (spec.threshold !== undefined) return { threshold: spec.threshold };
  throw new GateConfigurationError({ message: 'confidence gate: give threshold or signalThreshold' });
}

function noSignalVerdict(options: {
  spec: ConfidenceGateSpec;
  held: { threshold: number; signalThreshold?: number };
  hadLogprobs: boolean;
}): GateVerdict {
  const { spec, held } = options;
  const common = { gate: spec.kind, ...held };
  const why =
    options.hadLogprobs && spec.aggregation === 'margin'
      ? 'the answer token came without alternatives (margin reads top_logprobs: give the cheap model topLogprobs of at least 2)'
      : 'the provider returned no log-probabilities';
  if ((spec.whenNoSignal ?? 'escalate') === 'accept') {
    return {
      ...common,
      passed: true,
      score: 1,
      reasons: [],
      detail: `no confidence signal: ${why}; accepted by the route policy (whenNoSignal: accept)`,
    };
  }
  return {
    ...common,
    passed: false,
    score: 0,
    reasons: [escalationReasons.noSignal],
    detail: `no confidence signal: ${why} (whenNoSignal: escalate)`,
  };
}

/**
 * A value and its threshold with 2 digits, or as many more (up to 6) as it takes for a value that differs
 * from the threshold to look different. `format` shows a number with the given digits.
 */
function showApart(options: {
  value: number;
  threshold: number;
  format: (shown: number, digits: number) => string;
}): [string, string] {
  const { value, threshold, format } = options;
  for (let digits = 2; digits < 6; digits += 1) {
    const shown: [string, string] = [format(value, digits), format(threshold, digits)];
    if (value === threshold || shown[0] !== shown[1]) return shown;
  }
  return [format(value, 6), format(threshold, 6)];
}

/** Two significant digits (or `digits`): `-0.48`, `-0.000012`, `-15`. */
function formatLogprob(signal: number, digits = 2): string {
  return Number.isFinite(signal) ? String(Number(signal.toPrecision(digits))) : String(signal);
}
