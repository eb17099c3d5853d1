import { cascadeAtThreshold, strategyFigures } from '../analysis/cascade-at-threshold';
import { evaluationRecord } from '../analysis/evaluation-records.fixture';
import { thresholdSweep } from '../analysis/threshold-sweep';
import { fitThreshold } from './fit-threshold';
import { syntheticRecords } from './synthetic-records.fixture';
import { TuningError } from './tuning-error';
import type { TuningObjective } from './tuning-objective';

// One large fresh sample from the same population stands in for "new rows".
const freshRows = syntheticRecords({ rows: 50_000, seed: 987_654 });
const trials = 40;
const fitRows = 300;

function naiveCheapestThreshold(records: ReturnType<typeof syntheticRecords>, target: number): number {
  const meeting = thresholdSweep(records, { points: records.length + 2 }).find((row) => row.accuracy >= target);
  return (meeting ?? { threshold: Infinity }).threshold;
}

describe('fitThreshold on a known population', () => {
  const objective: TuningObjective = { kind: 'target-accuracy', accuracy: 0.85 };

  it('meets a target accuracy on fresh rows in most trials at the stated confidence, where the naive fit-set threshold often misses', () => {
    let boundMisses = 0;
    let naiveMisses = 0;
    let feasibleFits = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const records = syntheticRecords({ rows: fitRows, seed: 1000 + trial });
      const fit = fitThreshold({ records, objective, confidence: 0.9, bootstrapSamples: 400, seed: trial });
      if (fit.feasible) feasibleFits += 1;
      if (cascadeAtThreshold(freshRows, fit.threshold).accuracy < objective.accuracy) boundMisses += 1;
      if (cascadeAtThreshold(freshRows, naiveCheapestThreshold(records, objective.accuracy)).accuracy < objective.accuracy) naiveMisses += 1;
    }
    // At 90% confidence about 4 of 40 may miss (9 or more has a chance of about 4%); the naive threshold sits on
    // the boundary and misses about half.
    expect(boundMisses).toBeLessThanOrEqual(8);
    expect(naiveMisses).toBeGreaterThanOrEqual(14);
    expect(naiveMisses).toBeGreaterThan(boundMisses * 2);
    // The guarantee is not bought by giving up: most fits still find a threshold below escalate-everything.
    expect(feasibleFits).toBeGreaterThanOrEqual(30);
  });

  it('chooses a cheaper threshold than escalating everything, with an assurance of at least the confidence', () => {
    const records = syntheticRecords({ rows: fitRows, seed: 42 });
    const fit = fitThreshold({ records, objective, confidence: 0.95, seed: 7 });
    expect(fit.feasible).toBe(true);
    expect(fit.reason).toBeUndefined();
    expect(fit.assurance).toBeGreaterThanOrEqual(0.95);
    expect(fit.fitted.escalationRate).toBeLessThan(1);
    expect(fit.fitted.accuracy).toBeGreaterThan(objective.accuracy);
    expect(fit.fitted).toEqual({
      accuracy: cascadeAtThreshold(records, fit.threshold).accuracy,
      costPer1kUsd: cascadeAtThreshold(records, fit.threshold).costPer1kUsd,
      escalationRate: cascadeAtThreshold(records, fit.threshold).escalationRate,
    });
  });

  it('keeps a cost cap on fresh rows in most trials and picks the most accurate threshold within it', () => {
    const capObjective: TuningObjective = { kind: 'max-cost-per-1k', usd: 5 };
    let misses = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const records = syntheticRecords({ rows: fitRows, seed: 2000 + trial });
      const fit = fitThreshold({ records, objective: capObjective, confidence: 0.9, bootstrapSamples: 400, seed: trial });
      expect(fit.feasible).toBe(true);
      if (cascadeAtThreshold(freshRows, fit.threshold).costPer1kUsd > capObjective.usd) misses += 1;
    }
    expect(misses).toBeLessThanOrEqual(8);
  });

  it('under a cost cap prefers the more accurate of the affordable thresholds', () => {
    // Costs per 1k: threshold 0 → $1.2 (none escalated), 0.5 → $2.2 (r1 escalated), above 0.9 → $11.2 (all).
    // Accepting r1 (cheap wrong, flagship right) loses accuracy. A resample holding r1 k times costs $(1.2 + k),
    // so a cap of $4.5 holds for escalating r1 unless it is drawn 4 or more times of 10 (about 1%).
    const records = [
      evaluationRecord({ id: 'r1', score: 0.4, cheapCorrect: false, flagshipCorrect: true }),
      ...Array.from({ length: 9 }, (_, index) => evaluationRecord({ id: `ok${index}`, score: 0.9 })),
    ];
    const fit = fitThreshold({ records, objective: { kind: 'max-cost-per-1k', usd: 4.5 }, seed: 1, confidence: 0.9 });
    expect(fit.feasible).toBe(true);
    expect(fit.threshold).toBeGreaterThan(0.4);
    expect(fit.threshold).toBeLessThanOrEqual(0.9);
    expect(fit.fitted.accuracy).toBe(1);
  });

  it('meets a quality-retention objective on fresh rows in most trials', () => {
    const retention: TuningObjective = { kind: 'target-quality-retention', retention: 0.97 };
    const freshFlagship = strategyFigures(freshRows).flagshipOnly.accuracy;
    let misses = 0;
    let feasibleFits = 0;
    for (let trial = 0; trial < trials; trial += 1) {
      const records = syntheticRecords({ rows: fitRows, seed: 3000 + trial });
      const fit = fitThreshold({ records, objective: retention, confidence: 0.9, bootstrapSamples: 400, seed: trial });
      if (fit.feasible) feasibleFits += 1;
      if (cascadeAtThreshold(freshRows, fit.threshold).accuracy < 0.97 * freshFlagship) misses += 1;
    }
    expect(misses).toBeLessThanOrEqual(8);
    expect(feasibleFits).toBe(trials);
  });
});

describe('fitThreshold when nothing is feasible', () => {
  const records = syntheticRecords({ rows: fitRows, seed: 5 });

  it('escalates everything for an accuracy target the cascade cannot reach, and says why', () => {
    const fit = fitThreshold({ records, objective: { kind: 'target-accuracy', accuracy: 0.99 }, seed: 3 });
    expect(fit.feasible).toBe(false);
    expect(fit.fitted.escalationRate).toBe(1);
    expect(fit.reason).toMatch(/no threshold meets accuracy ≥ 99\.0% with 95% confidence on 300 rows/);
    expect(fit.assurance).toBeLessThan(0.95);
  });

  it('escalates only deterministic failures for a cost cap below the cheap model alone', () => {
    const fit = fitThreshold({ records, objective: { kind: 'max-cost-per-1k', usd: 0.5 }, seed: 3 });
    expect(fit.feasible).toBe(false);
    expect(fit.threshold).toBe(0);
    expect(fit.fitted.escalationRate).toBeCloseTo(records.filter((record) => !record.deterministicPass).length / records.length, 12);
    expect(fit.reason).toMatch(/cost ≤ \$0\.5 per 1k requests.*escalating only the rows that fail the deterministic checks/);
    expect(fit.assurance).toBe(0);
  });
});

describe('fitThreshold reproducibility and options', () => {
  const records = syntheticRecords({ rows: 200, seed: 11 });
  const objective: TuningObjective = { kind: 'target-accuracy', accuracy: 0.85 };

  it('gives the same fit for the same seed', () => {
    expect(fitThreshold({ records, objective, seed: 99 })).toEqual(fitThreshold({ records, objective, seed: 99 }));
  });

  it('draws different resamples for a different seed', () => {
    const assurances = new Set([1, 2, 3, 4].map((seed) => fitThreshold({ records, objective, seed }).assurance));
    expect(assurances.size).toBeGreaterThan(1);
  });

  it.each([
    [{ records: [], objective, seed: 1 }, 'fitThreshold: records must be a non-empty array of evaluation records'],
    [{ records, objective, seed: 1, confidence: 1 }, 'fitThreshold: confidence must be strictly between 0 and 1, got 1'],
    [{ records, objective, seed: 1, bootstrapSamples: 5 }, 'fitThreshold: bootstrapSamples must be an integer of at least 10, got 5'],
    [{ records, objective, seed: 1.5 }, 'fitThreshold: seed must be an integer, got 1.5'],
    [{ records, objective: { kind: 'target-accuracy', accuracy: 1.2 } as const, seed: 1 }, 'objective.accuracy must be a fraction in (0, 1], got 1.2'],
    [{ records, objective: { kind: 'max-cost-per-1k', usd: -1 } as const, seed: 1 }, 'objective.usd must be a positive finite number, got -1'],
    [{ records, objective: { kind: 'target-quality-retention', retention: 0 } as const, seed: 1 }, 'objective.retention must be a fraction in (0, 1], got 0'],
  ])('rejects bad options with a named error (%#)', (options, message) => {
    expect(() => fitThreshold(options)).toThrow(new TuningError(message));
    expect(() => fitThreshold(options)).toThrow(TuningError);
  });
});
