import { InvalidArgumentError, Option } from 'commander';
import { holdoutParts, type HoldoutPart, type HoldoutSplit } from '../evaluation/runs/select-rows';
import { EvaluationInputError, evaluationInputErrorTypes } from '../evaluation/runs/evaluation-input-error';

/** The `--holdout SHARE` and `--part fit|holdout` options of `analyze` and `tune`. */
export function holdoutOptions(defaultPart: HoldoutPart): [holdout: Option, part: Option] {
  return [
    new Option(
      '--holdout <share>',
      'split the rows by a hash of their id, this share (e.g. 0.3) kept aside; the same on every run',
    ).argParser(parseShare),
    new Option('--part <part>', `which part of the --holdout split to run (default ${defaultPart})`).choices(
      holdoutParts,
    ),
  ];
}

/** The split the options ask for, or undefined without `--holdout`. */
export function holdoutSplitOf(
  options: { holdout?: number; part?: HoldoutPart },
  defaultPart: HoldoutPart,
): HoldoutSplit | undefined {
  if (options.holdout === undefined) {
    if (options.part !== undefined)
      throw new EvaluationInputError({
        type: evaluationInputErrorTypes.invalidHoldout,
        message: '--part needs --holdout <share>',
      });
    return undefined;
  }
  return { share: options.holdout, part: options.part ?? defaultPart };
}

/** How a split is reported: `holdout part (share 0.3): 18 rows`. */
export function describeHoldout(split: HoldoutSplit | undefined, rows: number): string {
  return split === undefined
    ? `${rows} rows (no holdout split)`
    : `${split.part} part of a ${split.share} holdout split: ${rows} rows`;
}

function parseShare(value: string): number {
  const parsed = Number(value);
  if (!(parsed > 0 && parsed < 1))
    throw new InvalidArgumentError(`must be a fraction strictly between 0 and 1, got ${JSON.stringify(value)}`);
  return parsed;
}
