import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Calibration, GateSpec } from '../common/gate-spec';
import { loadConfig, parseConfig } from '../config/load-config';
import { rewriteRouteGate } from '../config/rewrite-route-gate';
import { EvaluationInputError } from '../evaluation/evaluation-input-error';
import { findThresholdedGate, thresholdOf } from '../evaluation/thresholded-gate';
import { describeObjective, tuneRoute, type RouteTuning } from '../tuning';
import { createLogger } from '../workers/pino-logger';
import { printReport, reportFailure } from './command-output';
import { describeHoldout, holdoutOptions, holdoutSplitOf } from './holdout-options';
import { demoFiles } from './local-stack';
import { parseNonNegativeInteger, parsePositiveInteger } from './option-parsers';
import { createProgressBar } from './progress-bar';
import { evaluateSelectedRows } from './dataset-evaluation';
import { calibrationFor, resolveTuneOptions, TuneOptionsError, type TuneCommandOptions } from './tune-options';

export function registerTuneCommand(program: Command): void {
  const [holdoutOption, partOption] = holdoutOptions('fit');
  program
    .command('tune')
    .description(
      "fit a route's gate threshold (and confidence calibration) to an objective on a labelled replay dataset, every row through a real cascade workflow; " +
        'reports cross-validated figures for new rows and writes the routes file with the tuned gate',
    )
    .requiredOption('--dataset <file>', 'replay dataset (JSONL, gzipped or not) whose rows carry correctness labels')
    .requiredOption('--route <name>', 'the route to tune')
    .option('--config <file>', 'the input routes file (read, never changed without --in-place)', demoFiles.routes)
    .option('--out <file>', 'where to write the routes file with the tuned gate (comments and other routes kept); overwritten if it exists')
    .option('--config-out <file>', 'the same as --out')
    .option('--in-place', 'allow --out to be the --config file itself', false)
    .option('--cheap <model>', "a dataset model to serve the route's cheap tier while tuning (not written to the output)")
    .option('--flagship <model>', "a dataset model to serve the route's flagship tier while tuning (not written to the output)")
    .option('--subset <names>', 'only rows whose dataset is one of these (comma-separated), exactly or by its last path segment (e.g. mmlu,medmcqa)')
    .addOption(holdoutOption)
    .addOption(partOption)
    .addOption(new Option('--limit <count>', 'the first this many selected rows').argParser(parsePositiveInteger))
    .addOption(new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger).default(8))
    .addOption(new Option('--target-accuracy <fraction>', 'objective: cascade accuracy at least this (e.g. 0.85)').argParser(parseNumber))
    .addOption(new Option('--max-cost-per-1k <usd>', 'objective: at most this many US dollars per 1,000 requests, as accurate as that allows').argParser(parseNumber))
    .addOption(new Option('--target-quality-retention <fraction>', "objective: accuracy at least this share of the flagship's (e.g. 0.97)").argParser(parseNumber))
    .addOption(new Option('--calibrate <method>', 'calibration fitted on the confidence signal (default isotonic for a confidence gate, none otherwise)').choices(['isotonic', 'platt', 'none']))
    .addOption(new Option('--confidence <fraction>', 'how sure the threshold must be to meet the objective').argParser(parseNumber).default(0.95))
    .addOption(new Option('--folds <count>', 'cross-validation folds').argParser(parsePositiveInteger).default(5))
    .addOption(new Option('--seed <integer>', 'seed of the folds and the bootstrap').argParser(parseNonNegativeInteger).default(1))
    .option('--json', 'print the result as one JSON object', false)
    .addHelpText(
      'after',
      '\nExactly one objective is required. --config names the routes file read (as in analyze); the tuned file goes to --out\n' +
        '(--config-out is an alias). With --holdout SHARE the rows are split by a hash of their id and tune runs the fit part,\n' +
        'so `analyze --holdout SHARE` (which runs the holdout part) measures the tuned route on rows it never saw.',
    )
    .action(async (options: TuneCommandOptions) => {
      process.exitCode = await tuneCommand(options);
    });
}

async function tuneCommand(options: TuneCommandOptions): Promise<number> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const bar = createProgressBar('cascades');
  try {
    // Everything that can be wrong with the options and the file is found before anything starts.
    const { objective, outputPath } = resolveTuneOptions(options);
    const holdout = holdoutSplitOf(options, 'fit');
    const inputText = readFileSync(options.config, 'utf8');
    const configuredGate = loadConfig({ path: options.config }).get(options.route).gate;
    const calibrate = calibrationFor(options.calibrate, thresholdedGateOf(configuredGate));
    const placeholderCalibration: Calibration | undefined = calibrate === undefined ? undefined : { method: 'platt', slope: 1, intercept: 0 };
    rewriteRouteGate({ text: inputText, source: options.config, route: options.route, tuning: { threshold: thresholdOf(findThresholdedGate(configuredGate)), calibration: placeholderCalibration } });

    const evaluation = await evaluateSelectedRows(options, { holdout, logger, say, progress: bar });
    bar.stop();
    const { run, cheap, flagship } = evaluation;

    const tuning = tuneRoute({ records: run.records, objective, calibrate, confidence: options.confidence, folds: options.folds, seed: options.seed });
    const outputText = rewriteRouteGate({ text: inputText, source: options.config, route: options.route, tuning: { threshold: tuning.threshold, calibration: tuning.calibration } });
    parseConfig(outputText, { source: outputPath, environment: process.env });
    writeFileSync(outputPath, outputText);
    // Read back as a deployment would, so a bad write shows now rather than at the next start.
    loadConfig({ path: outputPath, environment: process.env });

    const overridden = options.cheap !== undefined || options.flagship !== undefined;
    const { pooled, folds, foldsMeetingObjective } = tuning.crossValidated;
    printReport({
      json: options.json,
      report: {
        route: options.route,
        dataset: options.dataset,
        objective,
        cheap,
        flagship,
        modelsOverridden: overridden,
        rows: { count: evaluation.rows.length, ...(holdout !== undefined ? { holdout } : {}), ...(options.subset !== undefined ? { subset: options.subset } : {}), ids: evaluation.rows.map((row) => row.id) },
        runKey: evaluation.runKey,
        resumed: run.resumed,
        failures: run.failures,
        unpricedModels: evaluation.unpricedModels,
        tuning,
        crossValidated: { ...pooled, folds: folds.length, foldsMeetingObjective },
        out: outputPath,
      },
      text: () =>
        [
          `Tuning ${options.route} · ${cheap} → ${flagship} · ${describeObjective(objective)} at ${(options.confidence * 100).toFixed(0)}% confidence`,
          `rows: ${describeHoldout(holdout, evaluation.rows.length)} · ${run.resumed} resumed from an earlier run` +
            (run.failures.length > 0 ? ` · ${run.failures.length} without a flagship answer (counted as flagship wrong)` : ''),
          '',
          `threshold      ${tuning.threshold.toFixed(4)}`,
          `calibration    ${describeCalibration(tuning)}`,
          `feasible       ${tuning.feasible ? 'yes' : `no: ${tuning.reason ?? 'the objective is not met at the stated confidence'}`}`,
          `how sure       the threshold meets the objective in ${percent(tuning.assurance)} of bootstrap resamples of the rows`,
          '',
          `expected on new rows (cross-validated over ${folds.length} folds, each row judged by a fit that never saw it):`,
          `  accuracy ${percent(pooled.accuracy)} (flagship alone ${percent(pooled.flagshipAccuracy)}) · $${pooled.costPer1kUsd.toFixed(4)} per 1k requests · ${percent(pooled.escalationRate)} escalated`,
          `  objective ${pooled.objectiveMet ? 'met' : 'missed'} overall, met in ${Math.round(foldsMeetingObjective * folds.length)} of ${folds.length} folds`,
          `fit-set figures (the rows the threshold was fitted on; optimistic):`,
          `  accuracy ${percent(tuning.fittedOnAll.accuracy)} · $${tuning.fittedOnAll.costPer1kUsd.toFixed(4)} per 1k requests · ${percent(tuning.fittedOnAll.escalationRate)} escalated`,
          '',
          `wrote ${outputPath} (route ${options.route}'s gate tuned; the rest of ${options.config} as it was)`,
          ...(overridden ? [`note: tuned on ${cheap} → ${flagship} served by the local model server; the written route keeps its own models, so the fit holds only if they behave like these`] : []),
        ].join('\n'),
    });
    return 0;
  } catch (error) {
    bar.stop();
    const exitCode = reportFailure(error, { json: options.json });
    return error instanceof EvaluationInputError || error instanceof TuneOptionsError ? 2 : exitCode;
  }
}

/** The route's one thresholded gate, or undefined for a pass-or-fail gate. */
function thresholdedGateOf(gate: GateSpec): GateSpec | undefined {
  const found = findThresholdedGate(gate);
  if (found.kind === 'none') return undefined;
  if (found.kind === 'whole') return gate;
  return gate.kind === 'all' ? gate.gates[found.index] : undefined;
}

function describeCalibration(tuning: RouteTuning): string {
  const calibration = tuning.calibration;
  if (calibration === undefined) return 'none fitted (the gate keeps its own)';
  if (calibration.method === 'isotonic') return `isotonic, ${calibration.points.length} points`;
  return `platt, slope ${calibration.slope.toFixed(4)}, intercept ${calibration.intercept.toFixed(4)}`;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

function parseNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError(`must be a number, got ${JSON.stringify(value)}`);
  return parsed;
}
