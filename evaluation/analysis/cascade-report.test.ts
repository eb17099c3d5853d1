import { buildCascadeReport } from './cascade-report';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';

describe('buildCascadeReport', () => {
  const report = buildCascadeReport({ records: tenRecords, threshold: 0.5 });

  it('counts the items and what the cascade does with them', () => {
    expect(report.threshold).toBe(0.5);
    expect(report.confidence).toBe(0.95);
    expect(report.counts).toEqual({ items: 10, accepted: 5, escalated: 5, failedDeterministicChecks: 1 });
  });

  it('gives each strategy its accuracy with a Wilson interval, and its cost', () => {
    const { cheapOnly, flagshipOnly, cascade } = report.strategies;
    expect(cheapOnly.correct).toBe(5);
    expect(cheapOnly.accuracy.estimate).toBe(0.5);
    // Wilson 95% for 5/10 and 8/10
    expect(cheapOnly.accuracy.lower).toBeCloseTo(0.2366, 4);
    expect(cheapOnly.accuracy.upper).toBeCloseTo(0.7634, 4);
    expect(flagshipOnly.accuracy.lower).toBeCloseTo(0.4902, 4);
    expect(flagshipOnly.accuracy.upper).toBeCloseTo(0.9433, 4);
    expect(cascade.correct).toBe(8);
    expect(cascade.accuracy.lower).toBeCloseTo(0.4902, 4);
    expect(cheapOnly.costPer1kUsd).toBeCloseTo(1, 10);
    expect(flagshipOnly.costPer1kUsd).toBeCloseTo(10, 10);
    expect(cascade.costPer1kUsd).toBeCloseTo(6.2, 10);
    expect(cascade.costUsd).toBeCloseTo(0.062, 12);
  });

  it('gives the escalation rate with its interval, the blended rate, the break-even rate and the saving', () => {
    expect(report.escalationRate.estimate).toBe(0.5);
    expect(report.escalationRate.lower).toBeCloseTo(0.2366, 4);
    expect(report.blendedEffectiveRate.costPer1kUsd).toBeCloseTo(6.2, 10);
    expect(report.blendedEffectiveRate.fractionOfFlagshipOnly).toBeCloseTo(0.62, 12);
    expect(report.breakEven.escalationRate).toBeCloseTo(0.88, 12);
    expect(report.savingVersusFlagshipOnly.per1kUsd).toBeCloseTo(3.8, 10);
    expect(report.savingVersusFlagshipOnly.percent).toBeCloseTo(38, 10);
  });

  it('includes the complexity split and the sweep', () => {
    expect(report.complexitySplit.counts.onlyFlagshipCorrect).toBe(4);
    expect(report.sweep).toHaveLength(11);
    expect(report.sweep[5]).toMatchObject({ threshold: 0.5, escalated: 5, accuracy: 0.8 });
  });

  it('measures the area under the curve between cheap-only and flagship-only cost, against random routing', () => {
    expect(report.areaUnderCurve.costBoundsPer1kUsd[0]).toBeCloseTo(1, 10);
    expect(report.areaUnderCurve.costBoundsPer1kUsd[1]).toBeCloseTo(10, 10);
    // See the area's own test: 2.16 / 9.
    expect(report.areaUnderCurve.cascade).toBeCloseTo(0.24, 10);
    // The line from error 0.5 at $1 to error 0.2 at $10 averages 0.35.
    expect(report.areaUnderCurve.randomRouting).toBeCloseTo(0.35, 10);
  });

  it('gives the same figures per subset', () => {
    expect(Object.keys(report.subsets)).toEqual(['math', 'trivia']);
    const { math, trivia } = report.subsets;
    // math: r1..r5 score 0.5 or more, so all are accepted; the cheap model gets r4 wrong.
    expect(math!.counts).toEqual({ items: 5, accepted: 5, escalated: 0, failedDeterministicChecks: 0 });
    expect(math!.strategies.cascade.accuracy.estimate).toBe(0.8);
    expect(math!.strategies.cascade.costPer1kUsd).toBeCloseTo(1.2, 10);
    // trivia: r6..r10 all score below 0.5 or fail their checks, so all escalate.
    expect(trivia!.counts).toEqual({ items: 5, accepted: 0, escalated: 5, failedDeterministicChecks: 1 });
    expect(trivia!.strategies.cascade.accuracy.estimate).toBe(0.8);
    expect(trivia!.strategies.cascade.costPer1kUsd).toBeCloseTo(11.2, 10);
    expect(trivia!.savingVersusFlagshipOnly.percent).toBeCloseTo(-12, 10);
    expect(trivia!.sweep.length).toBeGreaterThan(1);
  });

  it('uses the given confidence for every interval', () => {
    const ninetyNine = buildCascadeReport({ records: tenRecords, threshold: 0.5, confidence: 0.99 });
    expect(ninetyNine.confidence).toBe(0.99);
    expect(ninetyNine.strategies.cascade.accuracy.lower).toBeCloseTo(0.4008, 4);
    expect(ninetyNine.escalationRate.lower).toBeLessThan(report.escalationRate.lower);
  });

  it('thins the sweeps to the given number of points', () => {
    const thinned = buildCascadeReport({ records: tenRecords, threshold: 0.5, sweepPoints: 3 });
    expect(thinned.sweep.map((row) => row.escalated)).toEqual([1, 5, 10]);
  });

  it('survives a round trip through JSON unchanged', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('has no saving percentage when the flagship costs nothing', () => {
    const free = buildCascadeReport({ records: [evaluationRecord({ id: 'a', flagshipCostUsd: 0 })], threshold: 0.5 });
    expect(free.savingVersusFlagshipOnly.percent).toBeNull();
    expect(free.breakEven.escalationRate).toBeNull();
  });

  it('rejects bad options with messages that name them', () => {
    expect(() => buildCascadeReport({ records: [], threshold: 0.5 })).toThrow(
      'buildCascadeReport: records must not be empty',
    );
    expect(() => buildCascadeReport({ records: tenRecords, threshold: Number.NaN })).toThrow(
      'buildCascadeReport: threshold must be a finite number, got NaN',
    );
    expect(() => buildCascadeReport({ records: tenRecords, threshold: 0.5, confidence: 95 })).toThrow(
      'buildCascadeReport: confidence must be strictly between 0 and 1, got 95',
    );
    expect(() => buildCascadeReport({ records: tenRecords, threshold: 0.5, sweepPoints: 1 })).toThrow(
      'buildCascadeReport: sweepPoints must be an integer of at least 2, got 1',
    );
  });
});
