import { confidenceGateSchema } from '../common/gate-spec';
import type { TokenLogprob } from '../common/model-answer';
import { aggregateLogprobs, confidenceSignal, evaluateConfidenceGate, type ConfidenceGateSpec } from './confidence';
import { GateConfigurationError } from './gate-configuration-error';

function tokens(...entries: Array<[string, number]>): TokenLogprob[] {
  return entries.map(([token, logprob]) => ({ token, logprob }));
}

function gate(fields: Omit<ConfidenceGateSpec, 'kind'>): ConfidenceGateSpec {
  return confidenceGateSchema.parse({ kind: 'confidence', ...fields });
}

const isotonic = {
  method: 'isotonic' as const,
  points: [
    [-1, 0.3],
    [0, 0.9],
  ] as Array<[number, number]>,
};

describe('aggregateLogprobs', () => {
  const answer = tokens(['(', -0.01], ['B', -0.48], [')', -0.002], [' because', -2.5]);

  it('first-token: reads the first token with a letter or a digit', () => {
    expect(aggregateLogprobs(tokens(['B', -0.3], ['.', -0.01]), 'first-token')).toBe(-0.3);
    expect(aggregateLogprobs(answer, 'first-token')).toBe(-0.48);
    expect(aggregateLogprobs(tokens([' "', -0.2], ['C', -0.7], ['"', -0.1]), 'first-token')).toBe(-0.7);
    expect(aggregateLogprobs(tokens(['\n', -0.9], ['**', -0.4], [' 42', -0.05]), 'first-token')).toBe(-0.05);
  });

  it('first-token: falls back to the first token when none holds a letter or a digit', () => {
    expect(aggregateLogprobs(tokens(['?', -1.1], ['!', -0.2]), 'first-token')).toBe(-1.1);
  });

  it('mean: averages every token', () => {
    expect(aggregateLogprobs(answer, 'mean')).toBeCloseTo((-0.01 - 0.48 - 0.002 - 2.5) / 4, 12);
  });

  it('minimum: takes the least likely token', () => {
    expect(aggregateLogprobs(answer, 'minimum')).toBe(-2.5);
  });

  it('has no signal without tokens, or when the signal is not a number', () => {
    for (const aggregation of ['first-token', 'mean', 'minimum'] as const) {
      expect(aggregateLogprobs([], aggregation)).toBeUndefined();
      expect(aggregateLogprobs(tokens(['A', Number.NaN]), aggregation)).toBeUndefined();
    }
  });
});

describe('confidenceSignal', () => {
  it('is the aggregate the spec asks for, first-token by default', () => {
    const input = { text: '(B) because', logprobs: tokens(['(', -0.01], ['B', -0.48], [' because', -2.5]) };
    expect(confidenceSignal(gate({ threshold: 0.5 }), input)).toBe(-0.48);
    expect(confidenceSignal(gate({ threshold: 0.5, aggregation: 'minimum' }), input)).toBe(-2.5);
    expect(confidenceSignal(gate({ threshold: 0.5 }), { text: 'B' })).toBeUndefined();
  });
});

describe('confidence gate', () => {
  it('without a calibration, scores exp(signal) and fails below the threshold', () => {
    expect(evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B', logprobs: tokens(['B', -0.48]) })).toEqual({
      gate: 'confidence',
      passed: false,
      score: Math.exp(-0.48),
      reasons: ['low_confidence'],
      threshold: 0.8,
      signal: -0.48,
      detail: 'confidence 0.62 (first-token logprob -0.48, uncalibrated) below threshold 0.80',
    });
  });

  it('passes an answer whose score reaches the threshold', () => {
    expect(evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B', logprobs: tokens(['B', Math.log(0.9)]) })).toEqual({
      gate: 'confidence',
      passed: true,
      score: 0.9,
      reasons: [],
      threshold: 0.8,
      signal: Math.log(0.9),
      detail: 'confidence 0.90 (first-token logprob -0.11, uncalibrated) reaches threshold 0.80',
    });
  });

  it('passes a score exactly at the threshold and fails one just under it', () => {
    const input = { text: 'A', logprobs: tokens(['A', 0]) };
    const atThreshold = gate({ threshold: 0.9, calibration: isotonic });
    expect(evaluateConfidenceGate(atThreshold, input)).toMatchObject({ passed: true, score: 0.9, reasons: [] });
    const justOver = gate({ threshold: 0.9001, calibration: isotonic });
    expect(evaluateConfidenceGate(justOver, input)).toMatchObject({
      passed: false,
      score: 0.9,
      reasons: ['low_confidence'],
      detail: 'confidence 0.9000 (first-token logprob 0, isotonic) below threshold 0.9001',
    });
  });

  it('uses the calibration instead of exp(signal) when it has one', () => {
    const input = { text: '(B)', logprobs: tokens(['(', -0.01], ['B', -0.48], [')', -0.002]) };
    // The model underrates itself: its -0.48 (exp 0.62) is right about 81% of the time.
    const generous = { method: 'isotonic' as const, points: [[-1, 0.6], [0, 1]] as Array<[number, number]> };
    expect(evaluateConfidenceGate(gate({ threshold: 0.8 }), input)).toMatchObject({ passed: false, reasons: ['low_confidence'] });
    expect(evaluateConfidenceGate(gate({ threshold: 0.8, calibration: generous }), input)).toEqual({
      gate: 'confidence',
      passed: true,
      score: expect.closeTo(0.6 + 0.52 * 0.4, 12),
      reasons: [],
      threshold: 0.8,
      signal: -0.48,
      detail: 'confidence 0.81 (first-token logprob -0.48, isotonic) reaches threshold 0.80',
    });
    const strictPlatt = gate({ threshold: 0.6, calibration: { method: 'platt', slope: 2, intercept: 0.5 } });
    expect(evaluateConfidenceGate(strictPlatt, input)).toMatchObject({
      passed: false,
      score: 1 / (1 + Math.exp(-(2 * -0.48 + 0.5))),
      detail: 'confidence 0.39 (first-token logprob -0.48, platt) below threshold 0.60',
    });
  });

  it('names the aggregation it used', () => {
    const verdict = evaluateConfidenceGate(gate({ threshold: 0.5, aggregation: 'mean' }), { text: 'Oslo.', logprobs: tokens(['Oslo', -0.2], ['.', -0.4]) });
    expect(verdict.detail).toBe('confidence 0.74 (mean logprob -0.3, uncalibrated) reaches threshold 0.50');
  });

  it('fails an impossible token with score 0', () => {
    const verdict = evaluateConfidenceGate(gate({ threshold: 0.1 }), { text: 'Z', logprobs: tokens(['Z', -Infinity]) });
    expect(verdict).toMatchObject({ passed: false, score: 0, detail: 'confidence 0.00 (first-token logprob -Infinity, uncalibrated) below threshold 0.10' });
  });

  it('escalates an answer without log-probabilities by default, with reason no_signal', () => {
    const expected = {
      gate: 'confidence',
      passed: false,
      score: 0,
      reasons: ['no_signal'],
      threshold: 0.8,
      detail: 'no confidence signal: the provider returned no log-probabilities (whenNoSignal: escalate)',
    };
    expect(evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B' })).toEqual(expected);
    expect(evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'escalate' }), { text: 'B', logprobs: [] })).toEqual(expected);
  });

  it("accepts an answer without log-probabilities when the route's policy says so, and says so", () => {
    expect(evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'accept', calibration: isotonic }), { text: 'B', logprobs: [] })).toEqual({
      gate: 'confidence',
      passed: true,
      score: 1,
      reasons: [],
      threshold: 0.8,
      detail: 'no confidence signal: the provider returned no log-probabilities; accepted by the route policy (whenNoSignal: accept)',
    });
  });

  it('throws a GateConfigurationError for a calibration it cannot apply', () => {
    const unusable: ConfidenceGateSpec = { kind: 'confidence', threshold: 0.5, calibration: { method: 'isotonic', points: [] } };
    const evaluate = () => evaluateConfidenceGate(unusable, { text: 'B', logprobs: tokens(['B', -0.1]) });
    expect(evaluate).toThrow(GateConfigurationError);
    expect(evaluate).toThrow('confidence gate: isotonic calibration needs at least one point');
  });

  it('gives verdicts that survive a JSON round trip', () => {
    const verdicts = [
      evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B', logprobs: tokens(['B', -0.48]) }),
      evaluateConfidenceGate(gate({ threshold: 0.5, calibration: isotonic }), { text: 'B', logprobs: tokens(['B', -0.1]) }),
      evaluateConfidenceGate(gate({ threshold: 0.5 }), { text: 'Z', logprobs: tokens(['Z', -Infinity]) }),
      evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B' }),
      evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'accept' }), { text: 'B' }),
    ];
    for (const verdict of verdicts) expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});
