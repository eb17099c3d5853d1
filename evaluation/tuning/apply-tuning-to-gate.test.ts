import { applyTuningToGate } from './apply-tuning-to-gate';

describe('applyTuningToGate on a confidence gate held to a signal threshold', () => {
  it('writes the tuned score threshold in place of the signal threshold, so the gate keeps exactly one', () => {
    const gate = { kind: 'confidence' as const, aggregation: 'margin' as const, signalThreshold: 1.5 };
    const calibration = { method: 'platt' as const, slope: 2, intercept: -1 };
    expect(
      applyTuningToGate({ kind: 'all', gates: [{ kind: 'refusal' }, gate] }, { threshold: 0.8, calibration }),
    ).toEqual({
      kind: 'all',
      gates: [{ kind: 'refusal' }, { kind: 'confidence', aggregation: 'margin', threshold: 0.8, calibration }],
    });
    expect(gate).toEqual({ kind: 'confidence', aggregation: 'margin', signalThreshold: 1.5 });
  });
});

describe('applyTuningToGate with a signal threshold', () => {
  const gate = {
    kind: 'all' as const,
    gates: [
      { kind: 'refusal' as const },
      { kind: 'confidence' as const, aggregation: 'first-token' as const, threshold: 0.9 },
    ],
  };

  it('writes the signal threshold in place of the score threshold, with the calibration', () => {
    const calibration = { method: 'platt' as const, slope: 3, intercept: 2 };
    expect(applyTuningToGate(gate, { signalThreshold: -0.0123, calibration })).toEqual({
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'confidence', aggregation: 'first-token', signalThreshold: -0.0123, calibration },
      ],
    });
    expect(gate.gates[1]).toEqual({ kind: 'confidence', aggregation: 'first-token', threshold: 0.9 });
  });

  it('refuses a signal threshold for a gate that is not a confidence gate, and one that is not finite', () => {
    const judge = { kind: 'judge' as const, model: 'mini', rubric: 'right?', threshold: 0.5 };
    expect(() => applyTuningToGate(judge, { signalThreshold: -0.1 })).toThrow(
      'can only be written into a confidence gate, but the thresholded gate is judge',
    );
    expect(() => applyTuningToGate(gate, { signalThreshold: Infinity })).toThrow(
      'the tuned signal threshold must be a finite number, got Infinity',
    );
    expect(applyTuningToGate(judge, { threshold: 0.7 })).toEqual({ ...judge, threshold: 0.7 });
  });
});
