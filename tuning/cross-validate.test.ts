import { cascadeAtThreshold } from '../analysis/cascade-at-threshold';
import { crossValidate } from './cross-validate';
import { fitThreshold } from './fit-threshold';
import { fitRecordCalibration, recalibrateRecords } from './recalibrate-records';
import { stratifiedFolds } from './stratified-folds';
import { syntheticRecords } from './synthetic-records.fixture';
import { TuningError } from './tuning-error';
import type { TuningObjective } from './tuning-objective';

const objective: TuningObjective = { kind: 'target-accuracy', accuracy: 0.85 };
const records = syntheticRecords({ rows: 250, seed: 21, missingSignalRate: 0.05, subsets: ['math', 'trivia', 'code'] });
const fast = { bootstrapSamples: 200 };

describe('stratifiedFolds', () => {
  it('deals every subset evenly over the folds', () => {
    const foldOf = stratifiedFolds({ records, folds: 5, seed: 3 });
    for (const subset of ['math', 'trivia', 'code']) {
      const counts = [0, 1, 2, 3, 4].map((fold) => records.filter((record, position) => record.subset === subset && foldOf[position] === fold).length);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const sizes = [0, 1, 2, 3, 4].map((fold) => foldOf.filter((assigned) => assigned === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is fixed by the seed and changes with it', () => {
    expect(stratifiedFolds({ records, folds: 5, seed: 3 })).toEqual(stratifiedFolds({ records, folds: 5, seed: 3 }));
    expect(stratifiedFolds({ records, folds: 5, seed: 4 })).not.toEqual(stratifiedFolds({ records, folds: 5, seed: 3 }));
  });

  it.each([1, 2.5, 251])('rejects %p folds for 250 records', (folds) => {
    expect(() => stratifiedFolds({ records, folds, seed: 1 })).toThrow(new TuningError(`folds must be an integer from 2 to the number of records (250), got ${folds}`));
  });
});

describe('crossValidate', () => {
  const result = crossValidate({ records, objective, folds: 5, seed: 8, calibrate: 'isotonic', ...fast });

  it('holds every row out exactly once, so the held-out sides are disjoint and cover the data', () => {
    const heldOut = result.folds.flatMap((fold) => fold.heldOutIds);
    expect(heldOut).toHaveLength(records.length);
    expect(new Set(heldOut).size).toBe(records.length);
    for (const fold of result.folds) expect(fold.trainingRows + fold.heldOutIds.length).toBe(records.length);
  });

  it('fits each fold only on the rows it holds out none of', () => {
    for (const fold of result.folds) {
      const heldOutIds = new Set(fold.heldOutIds);
      const training = records.filter((record) => !heldOutIds.has(record.id));
      expect(training.some((record) => heldOutIds.has(record.id))).toBe(false);
      const calibration = fitRecordCalibration('isotonic', training);
      expect(fold.calibration).toEqual(calibration);
      const refit = fitThreshold({ records: recalibrateRecords(training, calibration), objective, seed: 8, ...fast });
      expect(fold.threshold).toBe(refit.threshold);
    }
  });

  it('pools the held-out figures of every fold', () => {
    let correct = 0;
    let escalated = 0;
    let costUsd = 0;
    for (const fold of result.folds) {
      const heldOutIds = new Set(fold.heldOutIds);
      const heldOut = recalibrateRecords(records.filter((record) => heldOutIds.has(record.id)), fold.calibration!);
      const outcome = cascadeAtThreshold(heldOut, fold.threshold);
      expect(fold.heldOut.accuracy).toBe(outcome.accuracy);
      expect(fold.heldOut.objectiveMet).toBe(outcome.accuracy >= objective.accuracy);
      correct += outcome.correct;
      escalated += outcome.escalated;
      costUsd += outcome.costUsd;
    }
    expect(result.pooled.rows).toBe(records.length);
    expect(result.pooled.accuracy).toBeCloseTo(correct / records.length, 12);
    expect(result.pooled.escalationRate).toBeCloseTo(escalated / records.length, 12);
    expect(result.pooled.costPer1kUsd).toBeCloseTo((costUsd / records.length) * 1000, 12);
    expect(result.foldsMeetingObjective).toBe(result.folds.filter((fold) => fold.heldOut.objectiveMet).length / 5);
  });

  it('escalates every held-out row without a signal when calibrating', () => {
    const withoutSignal = records.filter((record) => record.signal === undefined);
    expect(withoutSignal.length).toBeGreaterThan(0);
    const rescored = recalibrateRecords(withoutSignal, result.folds[0]!.calibration!);
    expect(cascadeAtThreshold(rescored, 0).escalationRate).toBe(1);
  });

  it('uses the scores as they are without calibrate', () => {
    const uncalibrated = crossValidate({ records, objective, folds: 4, seed: 8, ...fast });
    expect(uncalibrated.folds).toHaveLength(4);
    for (const fold of uncalibrated.folds) expect(fold.calibration).toBeUndefined();
    const heldOutIds = new Set(uncalibrated.folds[0]!.heldOutIds);
    const refit = fitThreshold({ records: records.filter((record) => !heldOutIds.has(record.id)), objective, seed: 8, ...fast });
    expect(uncalibrated.folds[0]!.threshold).toBe(refit.threshold);
  });

  it('is reproducible by seed', () => {
    expect(crossValidate({ records, objective, seed: 8, calibrate: 'isotonic', ...fast })).toEqual(result);
    expect(crossValidate({ records, objective, seed: 9, calibrate: 'isotonic', ...fast }).folds[0]!.heldOutIds).not.toEqual(result.folds[0]!.heldOutIds);
  });

  it('meets the objective out of fold on a known population, as the confidence promises', () => {
    const larger = syntheticRecords({ rows: 600, seed: 77 });
    const validation = crossValidate({ records: larger, objective, seed: 5, calibrate: 'isotonic', ...fast });
    expect(validation.pooled.objectiveMet).toBe(true);
    expect(validation.foldsMeetingObjective).toBeGreaterThanOrEqual(0.8);
    expect(validation.pooled.escalationRate).toBeLessThan(1);
  });
});
