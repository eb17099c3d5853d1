import { stratifiedFolds } from './stratified-folds';
import { syntheticRecords } from './synthetic-records.fixture';
import { TuningError } from './tuning-error';

const records = syntheticRecords({ rows: 250, seed: 21, missingSignalRate: 0.05, subsets: ['math', 'trivia', 'code'] });

describe('stratifiedFolds', () => {
  it('deals every subset evenly over the folds', () => {
    const foldOf = stratifiedFolds({ records, folds: 5, seed: 3 });
    for (const subset of ['math', 'trivia', 'code']) {
      const counts = [0, 1, 2, 3, 4].map(
        (fold) => records.filter((record, position) => record.subset === subset && foldOf[position] === fold).length,
      );
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
    const sizes = [0, 1, 2, 3, 4].map((fold) => foldOf.filter((assigned) => assigned === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('is fixed by the seed and changes with it', () => {
    expect(stratifiedFolds({ records, folds: 5, seed: 3 })).toEqual(stratifiedFolds({ records, folds: 5, seed: 3 }));
    expect(stratifiedFolds({ records, folds: 5, seed: 4 })).not.toEqual(
      stratifiedFolds({ records, folds: 5, seed: 3 }),
    );
  });

  it.each([1, 2.5, 251])('rejects %p folds for 250 records', (folds) => {
    expect(() => stratifiedFolds({ records, folds, seed: 1 })).toThrow(
      new TuningError({ message: `folds must be an integer from 2 to the number of records (250), got ${folds}` }),
    );
  });
});
