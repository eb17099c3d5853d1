import { crossValidate } from './cross-validate';
import { recordsFromGroups, type RowGroup } from './decision-records.fixture';
import { syntheticRecords } from './synthetic-records.fixture';
import { tuneOnce } from './tune-once';
import { tuneRoute } from './tune-route';
import { TuningError } from './tuning-error';
import type { TuningObjective } from './tuning-objective';

const objective: TuningObjective = { kind: 'max-accuracy-loss', points: 2 };
// A draw of this borderline population (about half the seeds give it) on which the cascade pays.
const records = syntheticRecords({ rows: 600, seed: 300, flagshipAccuracy: 0.95 });
const fast = { resamples: 200 };

const tuneOnThreeFolds = (target: TuningObjective) =>
  tuneRoute({ records, objective: target, variable: 'signal', folds: 3, seed: 6, ...fast });

describe('tuneRoute', () => {
  const tuning = tuneRoute({ records, objective, variable: 'signal', calibrate: 'platt', folds: 4, seed: 6, ...fast });

  it('decides on all rows with the exact method by default, and compares with the model-based one', () => {
    const exact = tuneOnce({
      records,
      objective,
      variable: 'signal',
      method: 'exact',
      confidence: 0.95,
      seed: 6,
      ...fast,
    });
    expect(tuning.decision).toEqual(exact.decision);
    expect(tuning.decision.method).toBe('exact');
    expect(tuning.alternative?.method).toBe('model-based');
  });

  it('writes a signal threshold, with a calibration that only gives the score', () => {
    expect(tuning.decision.verdict).toBe('pays');
    expect(tuning.decision.route.kind).toBe('cascade');
    expect(tuning.calibration?.method).toBe('platt');
    const withoutCalibration = tuneRoute({ records, objective, variable: 'signal', folds: 4, seed: 6, ...fast });
    expect(withoutCalibration.decision).toEqual(tuning.decision);
  });

  it('reports the cross-validated estimate of the same procedure', () => {
    const [validation] = crossValidate({
      records,
      objectives: [objective],
      variable: 'signal',
      method: 'exact',
      confidence: 0.95,
      folds: 4,
      seed: 6,
      ...fast,
    });
    expect(tuning.crossValidated).toEqual(validation);
    expect(tuning.summaryLines[0]).toBe(
      'objective: at most 2 points of accuracy lost against the flagship, at 95.0% confidence (exact)',
    );
    expect(tuning.summaryLines[tuning.summaryLines.length - 1]).toMatch(
      /^cross-validated over 4 folds .* fold verdicts: /,
    );
  });

  it('exits the objective with a verdict, never an error, when the target is out of reach', () => {
    const unreachable = tuneOnThreeFolds({ kind: 'target-accuracy', accuracy: 0.999 });
    expect(unreachable.decision.verdict).toBe('unreachable');
    expect(unreachable.decision.route).toEqual({ kind: 'unchanged' });
  });

  it('certifies a cost cap by the bootstrap', () => {
    const capped = tuneOnThreeFolds({ kind: 'max-cost-per-1k', usd: 6 });
    expect(capped.decision.method).toBe('bootstrap');
    expect(capped.alternative).toBeUndefined();
    expect(['pays', 'cheap-alone']).toContain(capped.decision.verdict);
    expect(capped.decision.chosen!.costPer1kUsd).toBeLessThanOrEqual(6);
  });

  it('is reproducible by seed', () => {
    expect(
      tuneRoute({ records, objective, variable: 'signal', calibrate: 'platt', folds: 4, seed: 6, ...fast }),
    ).toEqual(tuning);
  });

  it('names bad options', () => {
    expect(() => tuneRoute({ records: [], objective, variable: 'signal', seed: 1 })).toThrow(
      new TuningError({ message: 'records must be a non-empty array of evaluation records' }),
    );
    expect(() => tuneRoute({ records, objective, variable: 'signal', seed: 1, confidence: 1 })).toThrow(
      'confidence must be strictly between 0 and 1, got 1',
    );
    expect(() => tuneRoute({ records, objective, variable: 'signal', seed: 1, minimumSaving: 1 })).toThrow(
      'minimumSaving must be a share from 0 to below 1, got 1',
    );
    expect(() =>
      tuneRoute({ records, objective: { kind: 'max-accuracy-loss', points: -1 }, variable: 'signal', seed: 1 }),
    ).toThrow('objective.points must be a number of accuracy points');
  });
});

describe('crossValidate', () => {
  const groups: RowGroup[] = [
    { count: 300, signal: -0.01, cheapCorrect: true, flagshipCorrect: true },
    { count: 300, signal: -2, cheapCorrect: false, flagshipCorrect: true },
  ];
  const twoGroups = recordsFromGroups(groups);
  const crossValidateTwoGroups = (points: number) =>
    crossValidate({
      records: twoGroups,
      objectives: [{ kind: 'max-accuracy-loss', points }],
      variable: 'signal',
      method: 'exact',
      confidence: 0.95,
      folds: 4,
      seed: 1,
      resamples: 200,
    })[0];

  it('scores each fold with the decision made without it, and pools the counts', () => {
    const validation = crossValidateTwoGroups(2);
    expect(validation!.folds).toHaveLength(4);
    expect(validation!.folds.every((fold) => fold.trainingRows === 450 && fold.verdict === 'pays')).toBe(true);
    // Each fold accepts its confident rows and escalates the others: right everywhere, half escalated.
    expect(validation!.pooled).toMatchObject({
      rows: 600,
      accuracy: 1,
      escalationRate: 0.5,
      flagshipAccuracy: 1,
      objectiveMet: true,
    });
    expect(validation!.verdicts).toEqual({ pays: 4 });
  });

  it('sends a fold to the flagship alone when its decision is not a cascade', () => {
    const validation = crossValidateTwoGroups(0.5);
    // 450 rows cannot certify half a point (598 would): every fold calls the flagship alone.
    expect(validation!.verdicts).toEqual({ 'not-enough-rows': 4 });
    expect(validation!.pooled).toMatchObject({ escalationRate: 1, costShare: 1, accuracyGapPoints: 0 });
  });
});
