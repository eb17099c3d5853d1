import type { GateSpec } from '../../contracts/cascade/gate-spec';
import { findThresholdedGate, thresholdOf } from './thresholded-gate';

describe('findThresholdedGate with a confidence gate held to a signal threshold', () => {
  it('reports the signal threshold and, as threshold, the uncalibrated score it maps to', () => {
    expect(findThresholdedGate({ kind: 'confidence', signalThreshold: -0.5 })).toEqual({
      kind: 'whole',
      threshold: Math.exp(-0.5),
      signalThreshold: -0.5,
    });
    expect(findThresholdedGate({ kind: 'confidence', aggregation: 'margin', signalThreshold: 2 })).toEqual({
      kind: 'whole',
      threshold: 1 / (1 + Math.exp(-2)),
      signalThreshold: 2,
    });
  });

  it('maps the signal threshold through the calibration, for a child of an all gate too', () => {
    const gate: GateSpec = {
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        {
          kind: 'confidence',
          signalThreshold: -0.25,
          calibration: {
            method: 'isotonic',
            points: [
              [-1, 0.2],
              [0, 0.9],
            ],
          },
        },
      ],
    };
    const found = findThresholdedGate(gate);
    expect(found).toEqual({
      kind: 'child',
      index: 1,
      threshold: expect.closeTo(0.2 + 0.75 * 0.7, 12),
      signalThreshold: -0.25,
    });
    expect(thresholdOf(found)).toBeCloseTo(0.725, 12);
  });

  it('leaves a score-thresholded gate as it was', () => {
    expect(findThresholdedGate({ kind: 'confidence', threshold: 0.8 })).toEqual({ kind: 'whole', threshold: 0.8 });
  });
});
