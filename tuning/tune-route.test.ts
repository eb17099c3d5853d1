import type { GateSpec } from '../common/gate-spec';
import { gateSpecSchema } from '../common/gate-spec';
import { crossValidate } from './cross-validate';
import { fitThreshold } from './fit-threshold';
import { fitRecordCalibration, recalibrateRecords } from './recalibrate-records';
import { syntheticRecords } from './synthetic-records.fixture';
import { applyTuningToGate, tuneRoute } from './tune-route';
import { TuningError } from './tuning-error';
import type { TuningObjective } from './tuning-objective';

const objective: TuningObjective = { kind: 'target-quality-retention', retention: 0.97 };
const records = syntheticRecords({ rows: 240, seed: 314 });
const fast = { bootstrapSamples: 200 };

describe('tuneRoute', () => {
  const tuning = tuneRoute({ records, objective, calibrate: 'isotonic', folds: 4, seed: 6, ...fast });

  it('fits the calibration and threshold that go into the route on all rows', () => {
    const calibration = fitRecordCalibration('isotonic', records);
    expect(tuning.calibration).toEqual(calibration);
    const fit = fitThreshold({ records: recalibrateRecords(records, calibration), objective, seed: 6, ...fast });
    expect(tuning.threshold).toBe(fit.threshold);
    expect(tuning.fittedOnAll).toEqual(fit.fitted);
    expect(tuning.assurance).toBe(fit.assurance);
    expect(tuning.feasible).toBe(true);
  });

  it('reports the cross-validated estimate of the same procedure', () => {
    expect(tuning.crossValidated).toEqual(crossValidate({ records, objective, folds: 4, seed: 6, calibrate: 'isotonic', ...fast }));
  });

  it('summarises the objective, the threshold, the optimistic and the cross-validated figures', () => {
    expect(tuning.summaryLines[0]).toBe("objective: accuracy ≥ 97.0% of the flagship's, at 95.0% confidence");
    expect(tuning.summaryLines[1]).toMatch(/^threshold 0\.\d{4} on isotonic-calibrated scores, meeting the objective in \d+\.\d% of bootstrap resamples of 240 rows$/);
    expect(tuning.summaryLines[2]).toMatch(/^on the rows it was fitted on \(optimistic\): accuracy \d+\.\d%, \$\d+\.\d\d per 1k requests, \d+\.\d% escalated$/);
    expect(tuning.summaryLines[3]).toMatch(/^cross-validated over 4 folds .*objective (met|missed) overall, met in \d of 4 folds$/);
    expect(tuning.summaryLines).toHaveLength(4);
  });

  it('says why when the objective cannot be met', () => {
    const infeasible = tuneRoute({ records, objective: { kind: 'target-accuracy', accuracy: 0.995 }, folds: 3, seed: 6, ...fast });
    expect(infeasible.feasible).toBe(false);
    expect(infeasible.calibration).toBeUndefined();
    expect(infeasible.fittedOnAll.escalationRate).toBe(1);
    expect(infeasible.summaryLines[4]).toMatch(/^not feasible: no threshold meets accuracy ≥ 99\.5%/);
  });

  it('is reproducible by seed', () => {
    expect(tuneRoute({ records, objective, calibrate: 'isotonic', folds: 4, seed: 6, ...fast })).toEqual(tuning);
  });
});

describe('applyTuningToGate', () => {
  const calibration = { method: 'platt' as const, slope: 2, intercept: 1 };
  const nested: GateSpec = {
    kind: 'all',
    gates: [
      { kind: 'json-schema' },
      { kind: 'any', gates: [{ kind: 'refusal' }, { kind: 'confidence', threshold: 0.5, aggregation: 'mean' }] },
    ],
  };

  it('sets the threshold and calibration of a confidence gate nested in all and any, leaving the input alone', () => {
    const before = structuredClone(nested);
    const tuned = applyTuningToGate(nested, { threshold: 0.73, calibration });
    expect(tuned).toEqual({
      kind: 'all',
      gates: [
        { kind: 'json-schema' },
        { kind: 'any', gates: [{ kind: 'refusal' }, { kind: 'confidence', threshold: 0.73, aggregation: 'mean', calibration }] },
      ],
    });
    expect(nested).toEqual(before);
    expect(gateSpecSchema.safeParse(tuned).success).toBe(true);
  });

  it('sets a weighted gate threshold without touching its children', () => {
    const weighted: GateSpec = {
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'weighted', threshold: 0.6, gates: [{ gate: { kind: 'confidence', threshold: 0.2 }, weight: 1 }, { gate: { kind: 'judge', model: 'judge', rubric: 'r', threshold: 0.3 }, weight: 2 }] },
      ],
    };
    expect(applyTuningToGate(weighted, { threshold: 0.42 })).toEqual({
      kind: 'all',
      gates: [
        { kind: 'refusal' },
        { kind: 'weighted', threshold: 0.42, gates: [{ gate: { kind: 'confidence', threshold: 0.2 }, weight: 1 }, { gate: { kind: 'judge', model: 'judge', rubric: 'r', threshold: 0.3 }, weight: 2 }] },
      ],
    });
  });

  it('sets the threshold of a self-consistency gate at the root', () => {
    const gate: GateSpec = { kind: 'self-consistency', samples: 3, extractor: { kind: 'final-number' }, threshold: 0.5 };
    expect(applyTuningToGate(gate, { threshold: 0.67 })).toEqual({ ...gate, threshold: 0.67 });
  });

  it('throws when the tree has no thresholded gate', () => {
    const gate: GateSpec = { kind: 'all', gates: [{ kind: 'refusal' }, { kind: 'json-schema' }] };
    expect(() => applyTuningToGate(gate, { threshold: 0.5 })).toThrow(
      new TuningError('the gate tree must hold exactly one thresholded gate (confidence, self-consistency, judge or weighted) to tune, found 0: none'),
    );
  });

  it('throws when the tree has more than one thresholded gate, naming where', () => {
    const gate: GateSpec = { kind: 'any', gates: [{ kind: 'confidence', threshold: 0.5 }, { kind: 'all', gates: [{ kind: 'judge', model: 'judge', rubric: 'r', threshold: 0.5 }] }] };
    expect(() => applyTuningToGate(gate, { threshold: 0.5 })).toThrow(
      new TuningError(
        'the gate tree must hold exactly one thresholded gate (confidence, self-consistency, judge or weighted) to tune, found 2: gate.gates[0] (confidence), gate.gates[1].gates[0] (judge)',
      ),
    );
  });

  it('throws when a calibration is given for a gate that is not confidence', () => {
    const gate: GateSpec = { kind: 'judge', model: 'judge', rubric: 'r', threshold: 0.5 };
    expect(() => applyTuningToGate(gate, { threshold: 0.5, calibration })).toThrow(
      new TuningError('a calibration can only be written into a confidence gate, but the thresholded gate is judge'),
    );
  });

  it('throws when the threshold cannot be written into a gate', () => {
    expect(() => applyTuningToGate(nested, { threshold: 1.0000000000000002 })).toThrow(
      new TuningError('the tuned threshold must be in [0, 1] to be written into a gate, got 1.0000000000000002'),
    );
  });
});
