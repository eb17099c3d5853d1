import { shuffle } from 'simple-statistics';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import { seededRandom } from './seeded-random';
import { TuningError } from './tuning-error';

/**
 * The fold (0 to `folds - 1`) of each record, by position: the records of each subset are shuffled by
 * `seed` and dealt to the folds in turn, so every fold holds its share of every subset and fold sizes
 * differ by at most one. Subsets are taken in name order, so the result depends only on the records and
 * the seed.
 *
 * @throws TuningError when `folds` is not an integer from 2 to the number of records.
 */
export function stratifiedFolds(options: {
  records: readonly EvaluationRecord[];
  folds: number;
  seed: number;
}): number[] {
  const { records, folds, seed } = options;
  if (!Number.isInteger(folds) || folds < 2 || folds > records.length) {
    throw new TuningError({
      message: `folds must be an integer from 2 to the number of records (${records.length}), got ${String(folds)}`,
    });
  }
  const random = seededRandom(seed);
  const positionsBySubset = new Map<string, number[]>();
  records.forEach((record, position) => {
    const subset = record.subset ?? '';
    positionsBySubset.set(subset, [...(positionsBySubset.get(subset) ?? []), position]);
  });
  const foldOf = new Array<number>(records.length).fill(0);
  let dealt = 0;
  for (const subset of [...positionsBySubset.keys()].sort()) {
    for (const position of shuffle(positionsBySubset.get(subset)!, random.fraction)) {
      foldOf[position] = dealt % folds;
      dealt += 1;
    }
  }
  return foldOf;
}
