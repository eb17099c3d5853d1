import type pino from 'pino';
import { evaluateDataset } from '../local-stack/evaluate-dataset';
import type { HoldoutSplit } from '../evaluation/runs/select-rows';
import { describeHoldout } from './holdout-options';
import type { createProgressBar } from './progress-bar';

/** The flags `analyze` and `tune` share: which rows of which dataset, through which route and models. */
export interface DatasetSelectionOptions {
  dataset: string;
  route: string;
  /** The routes file. */
  config: string;
  cheap?: string;
  flagship?: string;
  subset?: string;
  limit?: number;
  concurrency: number;
}

/** Runs the selected rows through real workflows, saying on stderr which rows and how far along. */
export function evaluateSelectedRows(
  options: DatasetSelectionOptions,
  context: {
    holdout: HoldoutSplit | undefined;
    logger: pino.Logger;
    say: (line: string) => void;
    progress: ReturnType<typeof createProgressBar>;
  },
) {
  return evaluateDataset({
    configPath: options.config,
    route: options.route,
    datasetPath: options.dataset,
    cheap: options.cheap,
    flagship: options.flagship,
    subset: options.subset,
    holdout: context.holdout,
    limit: options.limit,
    concurrency: options.concurrency,
    logger: context.logger,
    say: context.say,
    onRowsSelected: (rows) => context.say(`rows: ${describeHoldout(context.holdout, rows.length)}`),
    onProgress: context.progress.update,
  });
}
