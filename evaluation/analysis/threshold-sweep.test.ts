import { cascadeAtThreshold } from './cascade-at-threshold';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';
import { nextNumberAbove, thresholdSweep } from './threshold-sweep';
import { seededRandom } from '../tuning/seeded-random';

describe('thresholdSweep', () => {
  it('gives one row per candidate: 0, each passing score, and just above the highest', () => {
    const rows = thresholdSweep(tenRecords);
    expect(rows.map((row) => row.threshold)).toEqual([
      0,
      0.1,
      0.2,
      0.3,
      0.4,
      0.5,
      0.6,
      0.7,
      0.8,
      0.9,
      nextNumberAbove(0.9),
    ]);
    expect(rows.map((row) => row.escalated)).toEqual([1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows.map((row) => row.accuracy)).toEqual([0.6, 0.6, 0.6, 0.7, 0.7, 0.8, 0.8, 0.9, 0.8, 0.8, 0.8]);
    const costs = [2.2, 2.2, 3.2, 4.2, 5.2, 6.2, 7.2, 8.2, 9.2, 10.2, 11.2];
    rows.forEach((row, index) => expect(row.costPer1kUsd).toBeCloseTo(costs[index]!, 10));
  });

  it('ignores the score of an item that fails the deterministic checks', () => {
    // A failing item scored 0.95 escalates at every threshold: it adds no candidate and leaves the top one.
    const records = [...tenRecords, evaluationRecord({ id: 'r11', score: 0.95, deterministicPass: false })];
    const thresholds = thresholdSweep(records).map((row) => row.threshold);
    expect(thresholds).not.toContain(0.95);
    expect(thresholds[thresholds.length - 1]).toBe(nextNumberAbove(0.9));
  });

  it('thins to the asked number of rows by position, keeping the extremes', () => {
    const rows = thresholdSweep(tenRecords, { points: 5 });
    // positions 0, 2.5, 5, 7.5 and 10 of the eleven candidates
    expect(rows.map((row) => row.threshold)).toEqual([0, 0.3, 0.5, 0.8, nextNumberAbove(0.9)]);
  });

  it('on a large set keeps both extremes, rises monotonically in escalation rate and matches the direct figures', () => {
    const random = seededRandom(7).fraction;
    const records = Array.from({ length: 1000 }, (_unused, index) =>
      evaluationRecord({
        id: `item-${index}`,
        score: random(),
        deterministicPass: random() > 0.1,
        cheapCorrect: random() > 0.4,
        flagshipCorrect: random() > 0.2,
        cheapCostUsd: 0.0005 + random() * 0.001,
        flagshipCostUsd: 0.005 + random() * 0.01,
      }),
    );
    const rows = thresholdSweep(records);
    expect(rows).toHaveLength(101);
    expect(rows[0]!.threshold).toBe(0);
    expect(rows[100]!.accepted).toBe(0);
    const passingScores = records.filter((record) => record.deterministicPass).map((record) => record.score);
    expect(rows[100]!.threshold).toBe(nextNumberAbove(Math.max(...passingScores)));
    for (let index = 1; index < rows.length; index += 1) {
      expect(rows[index]!.threshold).toBeGreaterThan(rows[index - 1]!.threshold);
      expect(rows[index]!.escalationRate).toBeGreaterThanOrEqual(rows[index - 1]!.escalationRate);
      expect(rows[index]!.costUsd).toBeGreaterThanOrEqual(rows[index - 1]!.costUsd);
    }
    for (const row of [rows[0]!, rows[37]!, rows[100]!])
      expect(row).toEqual(cascadeAtThreshold(records, row.threshold));
  });

  it('gives the accept-everything and escalate-everything rows even when no item passes its checks', () => {
    const rows = thresholdSweep([evaluationRecord({ id: 'a', deterministicPass: false })]);
    expect(rows.map((row) => [row.threshold, row.escalated])).toEqual([
      [0, 1],
      [Number.MIN_VALUE, 1],
    ]);
  });

  it('rejects a number of points below 2 or not an integer', () => {
    expect(() => thresholdSweep(tenRecords, { points: 1 })).toThrow(
      'thresholdSweep: options.points must be an integer of at least 2, got 1',
    );
    expect(() => thresholdSweep(tenRecords, { points: 10.5 })).toThrow(
      'thresholdSweep: options.points must be an integer of at least 2, got 10.5',
    );
  });
});

describe('nextNumberAbove', () => {
  it('steps to the next double, which a score equal to the value fails', () => {
    expect(nextNumberAbove(0.9)).toBeGreaterThan(0.9);
    expect(nextNumberAbove(0.9)).toBe(0.9 + 2 ** -53);
    expect(nextNumberAbove(1)).toBe(1 + Number.EPSILON);
    expect(nextNumberAbove(0)).toBe(Number.MIN_VALUE);
    expect(nextNumberAbove(-1)).toBe(-1 + Number.EPSILON / 2);
  });
});
