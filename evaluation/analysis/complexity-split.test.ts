import { complexitySplit } from './complexity-split';
import { tenRecords } from './evaluation-records.fixture';

describe('complexitySplit', () => {
  it('divides the items by which model gets them right', () => {
    const split = complexitySplit(tenRecords);
    expect(split.items).toBe(10);
    // both: r1 r2 r5 r10; only cheap: r3; only flagship: r4 r6 r8 r9; neither: r7
    expect(split.counts).toEqual({ bothCorrect: 4, onlyCheapCorrect: 1, onlyFlagshipCorrect: 4, neitherCorrect: 1 });
    expect(split.shares).toEqual({
      bothCorrect: 0.4,
      onlyCheapCorrect: 0.1,
      onlyFlagshipCorrect: 0.4,
      neitherCorrect: 0.1,
    });
    expect(split.perfectGateAccuracy).toBe(0.9);
  });

  it('gives zero shares for no records', () => {
    const split = complexitySplit([]);
    expect(split.shares).toEqual({ bothCorrect: 0, onlyCheapCorrect: 0, onlyFlagshipCorrect: 0, neitherCorrect: 0 });
    expect(split.perfectGateAccuracy).toBe(0);
  });
});
