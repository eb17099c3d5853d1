import type pino from 'pino';
import { CascadeClient } from '../client/cascade-client';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { loadConfig } from '../config/load-config';
import { RouteCatalog } from '../config/route-catalog';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../evaluation/datasets/recorded-row';
import { startLocalStack } from './local-stack';
import { loadConfiguredModels } from '../evaluation/runs/configured-models';
import { evaluationRequests, evaluationRunKey } from '../evaluation/runs/evaluation-requests';
import { overrideRouteModels, unpricedModels } from '../evaluation/runs/route-override';
import { runEvaluation, type EvaluationRun } from '../evaluation/runs/run-evaluation';
import { selectRows, type HoldoutSplit } from '../evaluation/runs/select-rows';
import { findThresholdedGate, type ThresholdedGate } from '../evaluation/runs/thresholded-gate';

/** Options of `evaluateDataset`: what `analyze` and `tune` share. */
export interface EvaluateDatasetOptions {
  /** The routes file. */
  configPath: string;
  route: string;
  /** Replay dataset (JSONL, gzipped or not) with correctness labels. */
  datasetPath: string;
  /** A dataset model to serve the cheap tier. @default the route's */
  cheap?: string;
  /** A dataset model to serve the flagship tier. @default the route's */
  flagship?: string;
  /** @default every row */
  subset?: string;
  /** @default every row */
  holdout?: HoldoutSplit;
  /** @default every selected row */
  limit?: number;
  /** Cascades in flight at once. @default 8 */
  concurrency?: number;
  logger: pino.Logger;
  /** A line for the person running the command (stderr). */
  say: (line: string) => void;
  /** Called once the rows are chosen and nothing has started yet. */
  onRowsSelected?: (rows: readonly RecordedRow[]) => void;
  /** Called after each finished cascade. */
  onProgress?: (done: number, total: number) => void;
}

/** An evaluated dataset: the run's records and what it ran on. */
export interface DatasetEvaluation {
  /** The route as the file has it. */
  configuredPolicy: RoutePolicy;
  /** The route as it ran (dataset models served by the local model server). */
  policy: RoutePolicy;
  thresholded: ThresholdedGate;
  cheap: string;
  flagship: string;
  rows: RecordedRow[];
  /** Names the run: the same dataset and policy give the same workflow ids, so a rerun resumes. */
  runKey: string;
  unpricedModels: string[];
  run: EvaluationRun;
  elapsedMs: number;
}

/** The route as a cascade: a flagship-only route is measured as the cascade it keeps in the file, so a re-tuning can switch it back. */
function asCascade(policy: RoutePolicy): RoutePolicy {
  const { mode: _mode, ...cascade } = policy;
  return cascade;
}

/**
 * Runs every selected row of a dataset through a real cascade workflow on the local stack (a Temporal
 * dev server, the model server replaying the dataset, a worker), with a shadow flagship call, and
 * stops the stack. Everything that can be wrong with the input is found before anything starts.
 *
 * @throws EvaluationInputError for a bad selection or gate; ConfigurationError for a bad routes file.
 */
export async function evaluateDataset(options: EvaluateDatasetOptions): Promise<DatasetEvaluation> {
  const configuredPolicy = loadConfig({ path: options.configPath }).get(options.route);
  const thresholded = findThresholdedGate(configuredPolicy.gate);
  const cheap = options.cheap ?? configuredPolicy.cheap.model.model;
  const flagship = options.flagship ?? configuredPolicy.flagship.model.model;
  const rows = selectRows({
    rows: await loadRecordedDataset(options.datasetPath),
    subset: options.subset,
    holdout: options.holdout,
    limit: options.limit,
    models: [cheap, flagship],
  });
  options.onRowsSelected?.(rows);

  options.say('Starting Temporal (dev server), the local model server replaying the dataset and a worker…');
  const stack = await startLocalStack({
    logger: options.logger,
    configPath: options.configPath,
    datasetPaths: [options.datasetPath],
    modelServerPort: 0,
    onBuildProgress: (line) => options.say(`  ${line}`),
    // A dataset's models may be ones no price is known for: they are measured at cost 0, with a warning.
    acceptUnpricedModels: true,
  });
  try {
    const policy = overrideRouteModels({
      policy: asCascade(stack.routes.get(options.route)),
      cheap: options.cheap,
      flagship: options.flagship,
      modelServerUrl: stack.modelServerUrl!,
      configuredModels: loadConfiguredModels({ path: options.configPath }),
    });
    const unpriced = unpricedModels(policy);
    if (unpriced.length > 0)
      options.say(
        `warning: no price for ${unpriced.join(', ')} (neither a configured price nor the price table): its calls report cost 0`,
      );

    const runKey = evaluationRunKey({ datasetPath: options.datasetPath, policy });
    const items = evaluationRequests({ rows, policy, runKey });
    // A client whose only route is the overridden policy, so every workflow input carries it.
    const client = new CascadeClient({
      client: stack.client.temporal,
      routes: new RouteCatalog([policy]),
      sendPolicy: true,
    });
    const startedAt = performance.now();
    const run = await runEvaluation({
      client,
      policy,
      items,
      concurrency: options.concurrency,
      onProgress: options.onProgress,
    });
    const elapsedMs = performance.now() - startedAt;
    return {
      configuredPolicy,
      policy,
      thresholded,
      cheap,
      flagship,
      rows,
      runKey,
      unpricedModels: unpriced,
      run,
      elapsedMs,
    };
  } finally {
    await stack.stop();
  }
}
