import { createHash } from 'node:crypto';
import type { RecordedRow } from '../datasets/recorded-row';
import { EvaluationInputError, evaluationInputErrorTypes } from './evaluation-input-error';

export interface SelectRowsOptions {
  rows: readonly RecordedRow[];
  /** A row's `dataset`, exactly or by its last path segment (`mmlu` for `rational-cascades/mmlu`). @default every row */
  subset?: string;
  /** Keep only one part of a deterministic split of the rows, before `limit` applies. @default every row */
  holdout?: HoldoutSplit;
  /** Keep the first this many rows of the selection. @default every row */
  limit?: number;
  /** Models that every selected row must have a recorded answer of (the route's cheap and flagship). */
  models: readonly string[];
}

/** The two parts of a holdout split: rows to fit a tuning on, and rows kept aside to measure it. */
export const holdoutParts = ['fit', 'holdout'] as const;
export type HoldoutPart = (typeof holdoutParts)[number];

/**
 * A split of the rows by a hash of their id, so it is the same on every run and machine, and a row is in
 * the same part whatever else is selected: `tune --part fit` and `analyze --part holdout` with the same
 * share never share a row.
 */
export interface HoldoutSplit {
  /** The share of rows in the `holdout` part, in (0, 1): 0.3 keeps about 30% aside. */
  share: number;
  part: HoldoutPart;
}

/** Which part of a split of this share the row with this id is in. */
export function holdoutPartOf(id: string, share: number): HoldoutPart {
  // The first 48 bits of a SHA-256 are a uniform draw in [0, 1) that only the id decides.
  const draw = parseInt(createHash('sha256').update(id).digest('hex').slice(0, 12), 16) / 2 ** 48;
  return draw < share ? 'holdout' : 'fit';
}

/**
 * The rows an evaluation runs, in dataset order.
 *
 * @throws EvaluationInputError `UnknownSubset` (listing the subsets), `InvalidHoldout`, `EmptySelection`, or
 *   `ModelNotInDataset` naming the model and the first row without it.
 */
export function selectRows(options: SelectRowsOptions): RecordedRow[] {
  let rows = [...options.rows];
  if (options.subset !== undefined) {
    // Several subsets are named with commas: "mmlu,medmcqa".
    const subsets = options.subset
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name.length > 0);
    const available = [...new Set(rows.map((row) => row.dataset))].sort();
    const matches = (row: RecordedRow, subset: string) => row.dataset === subset || lastSegment(row.dataset) === subset;
    const unknown = subsets.find((subset) => !rows.some((row) => matches(row, subset)));
    if (unknown !== undefined || subsets.length === 0) {
      throw new EvaluationInputError({
        type: evaluationInputErrorTypes.unknownSubset,
        message: `no subset "${unknown ?? options.subset}" in the dataset; it has: ${available.map((name) => `${name} (or ${lastSegment(name)})`).join(', ') || '(no rows)'}`,
      });
    }
    rows = rows.filter((row) => subsets.some((subset) => matches(row, subset)));
  }
  if (options.holdout !== undefined) {
    const { share, part } = options.holdout;
    if (!(share > 0 && share < 1))
      throw new EvaluationInputError({
        type: evaluationInputErrorTypes.invalidHoldout,
        message: `the holdout share must be a fraction strictly between 0 and 1, got ${String(share)}`,
      });
    rows = rows.filter((row) => holdoutPartOf(row.id, share) === part);
  }
  if (rows.length === 0)
    throw new EvaluationInputError({
      type: evaluationInputErrorTypes.emptySelection,
      message: 'the dataset selection holds no rows',
    });
  // A file may hold several model families over the same benchmarks: rows that did not record both
  // tiers' models cannot be replayed, so they are left out; none left is an error naming the model.
  for (const model of options.models) {
    const recording = rows.filter((row) => row.responses[model] !== undefined);
    if (recording.length === 0) {
      const recorded = [...new Set(rows.flatMap((row) => Object.keys(row.responses)))].sort();
      throw new EvaluationInputError({
        type: evaluationInputErrorTypes.modelNotInDataset,
        message: `model "${model}" has no recorded answer in any of the ${rows.length} selected rows; they record: ${recorded.join(', ')}`,
      });
    }
    rows = recording;
  }
  if (options.limit !== undefined) rows = rows.slice(0, options.limit);
  return rows;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
