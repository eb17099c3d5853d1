import { confidenceGateSchema } from '../contracts/cascade/gate-spec';
import type { TokenLogprob } from '../contracts/cascade/tokens';
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
    expect(
      evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B', logprobs: tokens(['B', Math.log(0.9)]) }),
    ).toEqual({
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
    const generous = {
      method: 'isotonic' as const,
      points: [
        [-1, 0.6],
        [0, 1],
      ] as Array<[number, number]>,
    };
    expect(evaluateConfidenceGate(gate({ threshold: 0.8 }), input)).toMatchObject({
      passed: false,
      reasons: ['low_confidence'],
    });
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
    const verdict = evaluateConfidenceGate(gate({ threshold: 0.5, aggregation: 'mean' }), {
      text: 'Oslo.',
      logprobs: tokens(['Oslo', -0.2], ['.', -0.4]),
    });
    expect(verdict.detail).toBe('confidence 0.74 (mean logprob -0.3, uncalibrated) reaches threshold 0.50');
  });

  it('fails an impossible token with score 0', () => {
    const verdict = evaluateConfidenceGate(gate({ threshold: 0.1 }), { text: 'Z', logprobs: tokens(['Z', -Infinity]) });
    expect(verdict).toMatchObject({
      passed: false,
      score: 0,
      detail: 'confidence 0.00 (first-token logprob -Infinity, uncalibrated) below threshold 0.10',
    });
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
    expect(
      evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'escalate' }), { text: 'B', logprobs: [] }),
    ).toEqual(expected);
  });

  it("accepts an answer without log-probabilities when the route's policy says so, and says so", () => {
    expect(
      evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'accept', calibration: isotonic }), {
        text: 'B',
        logprobs: [],
      }),
    ).toEqual({
      gate: 'confidence',
      passed: true,
      score: 1,
      reasons: [],
      threshold: 0.8,
      detail:
        'no confidence signal: the provider returned no log-probabilities; accepted by the route policy (whenNoSignal: accept)',
    });
  });

  it('throws a GateConfigurationError for a calibration it cannot apply', () => {
    const unusable: ConfidenceGateSpec = {
      kind: 'confidence',
      threshold: 0.5,
      calibration: { method: 'isotonic', points: [] },
    };
    const evaluate = () => evaluateConfidenceGate(unusable, { text: 'B', logprobs: tokens(['B', -0.1]) });
    expect(evaluate).toThrow(GateConfigurationError);
    expect(evaluate).toThrow('confidence gate: isotonic calibration needs at least one point');
  });

  it('gives verdicts that survive a JSON round trip', () => {
    const verdicts = [
      evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B', logprobs: tokens(['B', -0.48]) }),
      evaluateConfidenceGate(gate({ threshold: 0.5, calibration: isotonic }), {
        text: 'B',
        logprobs: tokens(['B', -0.1]),
      }),
      evaluateConfidenceGate(gate({ threshold: 0.5 }), { text: 'Z', logprobs: tokens(['Z', -Infinity]) }),
      evaluateConfidenceGate(gate({ threshold: 0.8 }), { text: 'B' }),
      evaluateConfidenceGate(gate({ threshold: 0.8, whenNoSignal: 'accept' }), { text: 'B' }),
    ];
    for (const verdict of verdicts) expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});

describe('margin aggregation', () => {
  function token(text: string, logprob: number, alternatives?: Array<[string, number]>): TokenLogprob {
    return alternatives === undefined
      ? { token: text, logprob }
      : {
          token: text,
          logprob,
          topLogprobs: alternatives.map(([alternative, value]) => ({ token: alternative, logprob: value })),
        };
  }

  it('is the answer token minus its best alternative when the token is the most likely', () => {
    // B at -0.1, runner-up C at -2.4 (D at -3 is not the runner-up): margin 2.3.
    expect(
      aggregateLogprobs(
        [
          token('B', -0.1, [
            ['B', -0.1],
            ['C', -2.4],
            ['D', -3],
          ]),
        ],
        'margin',
      ),
    ).toBeCloseTo(2.3, 12);
  });

  it('is negative when the answer token was not the most likely', () => {
    // The model sampled B (-1.2) although A (-0.4) was likelier: margin -0.8.
    expect(
      aggregateLogprobs(
        [
          token('B', -1.2, [
            ['A', -0.4],
            ['B', -1.2],
            ['C', -2],
          ]),
        ],
        'margin',
      ),
    ).toBeCloseTo(-0.8, 12);
  });

  it('separates saturated answers by their runner-up', () => {
    expect(
      aggregateLogprobs(
        [
          token('A', 0, [
            ['A', 0],
            ['B', -9],
          ]),
        ],
        'margin',
      ),
    ).toBe(9);
    expect(
      aggregateLogprobs(
        [
          token('A', 0, [
            ['A', 0],
            ['B', -0.3],
          ]),
        ],
        'margin',
      ),
    ).toBe(0.3);
  });

  it('skips an alternative that is the token itself, and has no signal when nothing else is left', () => {
    expect(aggregateLogprobs([token('A', -0.2, [['A', -0.2]])], 'margin')).toBeUndefined();
    expect(aggregateLogprobs([token('A', -0.2, [])], 'margin')).toBeUndefined();
    expect(aggregateLogprobs([token('A', -0.2)], 'margin')).toBeUndefined();
    expect(aggregateLogprobs([], 'margin')).toBeUndefined();
  });

  it('reads the first token holding a letter or a digit, as first-token does', () => {
    const answer = [
      token('(', -0.01, [
        ['(', -0.01],
        ['[', -5],
      ]),
      token('C', -0.5, [
        ['C', -0.5],
        ['D', -1.5],
      ]),
      token(')', -0.001, [
        [')', -0.001],
        [']', -8],
      ]),
    ];
    expect(aggregateLogprobs(answer, 'margin')).toBeCloseTo(1, 12);
    expect(aggregateLogprobs(answer, 'first-token')).toBe(-0.5);
    expect(aggregateLogprobs([token('?', -1, [['!', -1.5]]), token('.', -0.1, [[',', -4]])], 'margin')).toBeCloseTo(
      0.5,
      12,
    );
  });

  it('has no signal when a log-probability is not a number', () => {
    expect(aggregateLogprobs([token('A', Number.NaN, [['B', -1]])], 'margin')).toBeUndefined();
    expect(aggregateLogprobs([token('A', -0.1, [['B', Number.NaN]])], 'margin')).toBeUndefined();
  });

  it('scores the logistic of the margin without a calibration: the token’s share of the top two', () => {
    const verdict = evaluateConfidenceGate(gate({ aggregation: 'margin', threshold: 0.8 }), {
      text: 'A',
      logprobs: [
        token('A', Math.log(0.6), [
          ['A', Math.log(0.6)],
          ['B', Math.log(0.3)],
        ]),
      ],
    });
    expect(verdict).toEqual({
      gate: 'confidence',
      passed: false,
      score: expect.closeTo(0.6 / (0.6 + 0.3), 12),
      reasons: ['low_confidence'],
      threshold: 0.8,
      signal: expect.closeTo(Math.log(2), 12),
      detail: 'confidence 0.67 (margin 0.69, uncalibrated) below threshold 0.80',
    });
  });

  it('escalates with no_signal when the answer token came without alternatives, and says why', () => {
    const verdict = evaluateConfidenceGate(gate({ aggregation: 'margin', threshold: 0.8 }), {
      text: 'A',
      logprobs: [token('A', 0)],
    });
    expect(verdict).toMatchObject({ passed: false, score: 0, reasons: ['no_signal'] });
    expect(verdict.detail).toBe(
      'no confidence signal: the answer token came without alternatives (margin reads top_logprobs: give the cheap model topLogprobs of at least 2) (whenNoSignal: escalate)',
    );
  });
});

describe('confidence gate with a signal threshold', () => {
  const steps = {
    method: 'isotonic' as const,
    points: [
      [-1, 0.4],
      [-0.5, 0.7],
      [-0.4, 0.7],
      [0, 0.95],
    ] as Array<[number, number]>,
  };

  it('passes a signal exactly at the signal threshold, and records the score it maps to as threshold', () => {
    expect(
      evaluateConfidenceGate(gate({ signalThreshold: -0.36 }), { text: 'B', logprobs: tokens(['B', -0.36]) }),
    ).toEqual({
      gate: 'confidence',
      passed: true,
      score: Math.exp(-0.36),
      reasons: [],
      threshold: Math.exp(-0.36),
      signalThreshold: -0.36,
      signal: -0.36,
      detail: 'confidence 0.70 (first-token logprob -0.36, uncalibrated): signal -0.36 reaches signal threshold -0.36',
    });
  });

  it('fails a signal just below it, showing the digits that tell them apart', () => {
    expect(
      evaluateConfidenceGate(gate({ signalThreshold: -0.36 }), { text: 'B', logprobs: tokens(['B', -0.361]) }),
    ).toMatchObject({
      passed: false,
      reasons: ['low_confidence'],
      signalThreshold: -0.36,
      detail: 'confidence 0.70 (first-token logprob -0.36, uncalibrated): signal -0.361 below signal threshold -0.36',
    });
  });

  it('lets the calibration give the score but not decide', () => {
    // -0.45 and -0.42 both sit on the flat step at 0.7: thresholding the score could not tell them apart.
    const spec = gate({ signalThreshold: -0.43, calibration: steps });
    const below = evaluateConfidenceGate(spec, { text: 'B', logprobs: tokens(['B', -0.45]) });
    const above = evaluateConfidenceGate(spec, { text: 'B', logprobs: tokens(['B', -0.42]) });
    expect(below).toMatchObject({
      passed: false,
      score: 0.7,
      threshold: 0.7,
      signalThreshold: -0.43,
      reasons: ['low_confidence'],
    });
    expect(below.detail).toBe(
      'confidence 0.70 (first-token logprob -0.45, isotonic): signal -0.45 below signal threshold -0.43',
    );
    expect(above).toMatchObject({ passed: true, score: 0.7, threshold: 0.7, signalThreshold: -0.43, reasons: [] });
    // A calibration that would fail the answer on its score does not, and the score is still the calibrated one.
    const harsh = gate({ signalThreshold: -0.5, calibration: { method: 'platt', slope: 1, intercept: -3 } });
    expect(evaluateConfidenceGate(harsh, { text: 'B', logprobs: tokens(['B', -0.1]) })).toMatchObject({
      passed: true,
      score: expect.closeTo(1 / (1 + Math.exp(3.1)), 12),
      threshold: expect.closeTo(1 / (1 + Math.exp(3.5)), 12),
    });
  });

  it('holds a margin to a signal threshold, with the uncalibrated logistic as the threshold score', () => {
    const spec = gate({ aggregation: 'margin', signalThreshold: 1 });
    const wide = {
      token: 'A',
      logprob: 0,
      topLogprobs: [
        { token: 'A', logprob: 0 },
        { token: 'B', logprob: -4 },
      ],
    };
    const close = {
      token: 'A',
      logprob: 0,
      topLogprobs: [
        { token: 'A', logprob: 0 },
        { token: 'B', logprob: -0.2 },
      ],
    };
    expect(evaluateConfidenceGate(spec, { text: 'A', logprobs: [wide] })).toMatchObject({
      passed: true,
      signal: 4,
      threshold: 1 / (1 + Math.exp(-1)),
      detail: 'confidence 0.98 (margin 4, uncalibrated): signal 4 reaches signal threshold 1',
    });
    expect(evaluateConfidenceGate(spec, { text: 'A', logprobs: [close] })).toMatchObject({
      passed: false,
      signal: 0.2,
      reasons: ['low_confidence'],
    });
  });

  it('records both thresholds in a no-signal verdict', () => {
    expect(evaluateConfidenceGate(gate({ signalThreshold: -0.5 }), { text: 'B' })).toMatchObject({
      passed: false,
      reasons: ['no_signal'],
      threshold: Math.exp(-0.5),
      signalThreshold: -0.5,
    });
  });

  it('refuses a spec with both thresholds or neither, naming both fields', () => {
    const both = confidenceGateSchema.safeParse({ kind: 'confidence', threshold: 0.5, signalThreshold: -0.3 });
    expect(both.success).toBe(false);
    expect(both.error!.issues).toEqual([
      expect.objectContaining({ path: ['signalThreshold'], message: 'give threshold or signalThreshold, not both' }),
    ]);
    const neither = confidenceGateSchema.safeParse({ kind: 'confidence', aggregation: 'margin' });
    expect(neither.success).toBe(false);
    expect(neither.error!.issues).toEqual([
      expect.objectContaining({
        path: ['threshold'],
        message: 'give threshold (on the score) or signalThreshold (on the raw signal)',
      }),
    ]);
    expect(confidenceGateSchema.safeParse({ kind: 'confidence', signalThreshold: Number.NaN }).success).toBe(false);
  });

  it('throws a GateConfigurationError for an unparsed spec with neither threshold', () => {
    expect(() => evaluateConfidenceGate({ kind: 'confidence' }, { text: 'B', logprobs: tokens(['B', -0.1]) })).toThrow(
      'confidence gate: give threshold or signalThreshold',
    );
  });

  it('records an infinite margin as the largest finite number, so the verdict stays JSON', () => {
    const verdict = evaluateConfidenceGate(gate({ aggregation: 'margin', signalThreshold: 1 }), {
      text: 'A',
      logprobs: [{ token: 'A', logprob: 0, topLogprobs: [{ token: 'B', logprob: -Infinity }] }],
    });
    expect(verdict).toMatchObject({ passed: true, score: 1, signal: Number.MAX_VALUE });
    expect(JSON.parse(JSON.stringify(verdict))).toEqual(verdict);
  });
});
