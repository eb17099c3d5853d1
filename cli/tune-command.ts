import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { chartFormatOf, ChartFormatError, writeChartFile } from '../evaluation/analysis/chart-file';
import type { EvaluationRecord } from '../evaluation/analysis/evaluation-record';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import { loadConfig, parseConfig } from '../config/load-config';
import { rewriteRouteGate } from '../evaluation/tuning/rewrite-route-gate';
import { rewriteRouteMode } from '../config/rewrite-route-mode';
import { EvaluationInputError } from '../evaluation/runs/evaluation-input-error';
import { describePriceSources, mixesPriceSources, priceSourcesOf } from '../evaluation/runs/price-sources';
import { findThresholdedGate, type ThresholdedGate } from '../evaluation/runs/thresholded-gate';
import { describeObjective, tuneRoute, type RouteTuning } from '../evaluation/tuning';
import type { DecisionVariable } from '../evaluation/tuning/threshold-ladder';
import { tunedCurve } from '../evaluation/tuning/tuned-curve';
import { tunedCurveChartSpec } from '../evaluation/tuning/tuned-curve-chart';
import { createLogger } from '../workers/pino-logger';
import { printReport, reportFailure } from './command-output';
import { evaluateSelectedRows } from './dataset-evaluation';
import { describeHoldout, holdoutOptions, holdoutSplitOf } from './holdout-options';
import { demoFiles } from '../local-stack/local-stack';
import { parseNonNegativeInteger, parsePositiveInteger } from './option-parsers';
import { createProgressBar } from './progress-bar';
import { calibrationFor, resolveTuneOptions, TuneOptionsError, type TuneCommandOptions } from './tune-options';
import { renderCurveTable, renderTuningText } from './tune-report';

export function registerTuneCommand(program: Command): void {
  const [holdoutOption, partOption] = holdoutOptions('fit');
  program
    .command('tune')
    .description(
      'decide, on a labelled replay dataset run through real cascade workflows, whether a cascade pays for a route ' +
        '(pays, cheap model alone, does not pay, not enough rows) and write the route it supports: a tuned gate or the flagship alone',
    )
    .requiredOption('--dataset <file>', 'replay dataset (JSONL, gzipped or not) whose rows carry correctness labels')
    .requiredOption('--route <name>', 'the route to tune')
    .option('--config <file>', 'the input routes file (read, never changed without --in-place)', demoFiles.routes)
    .option(
      '--out <file>',
      'where to write the routes file with the tuned route (comments and other routes kept); overwritten if it exists',
    )
    .option('--config-out <file>', 'the same as --out')
    .option('--in-place', 'allow --out to be the --config file itself', false)
    .option(
      '--cheap <model>',
      "a dataset model to serve the route's cheap tier while tuning (not written to the output)",
    )
    .option(
      '--flagship <model>',
      "a dataset model to serve the route's flagship tier while tuning (not written to the output)",
    )
    .option(
      '--subset <names>',
      'only rows whose dataset is one of these (comma-separated), exactly or by its last path segment (e.g. mmlu,medmcqa)',
    )
    .addOption(holdoutOption)
    .addOption(partOption)
    .addOption(new Option('--limit <count>', 'the first this many selected rows').argParser(parsePositiveInteger))
    .addOption(
      new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger).default(8),
    )
    .addOption(
      new Option(
        '--max-accuracy-loss <points>',
        'objective: lose at most this many points of accuracy against the flagship (e.g. 1)',
      ).argParser(parseNumber),
    )
    .addOption(
      new Option(
        '--target-quality-retention <fraction>',
        "objective: accuracy at least this share of the flagship's (e.g. 0.99)",
      ).argParser(parseNumber),
    )
    .addOption(
      new Option('--target-accuracy <fraction>', 'objective: cascade accuracy at least this (e.g. 0.85)').argParser(
        parseNumber,
      ),
    )
    .addOption(
      new Option(
        '--max-cost-per-1k <usd>',
        'objective: at most this many US dollars per 1,000 requests, as accurate as that allows',
      ).argParser(parseNumber),
    )
    .addOption(
      new Option(
        '--method <method>',
        'how a quality objective is certified: exact (distribution-free, needs more rows) or model-based (a logistic model of the signal)',
      )
        .choices(['exact', 'model-based'])
        .default('exact'),
    )
    .addOption(new Option('--confidence <fraction>', 'how sure the guarantee is').argParser(parseNumber).default(0.95))
    .addOption(
      new Option('--min-saving <share>', 'the least saving against the flagship alone worth a cascade (0.05 is 5%)')
        .argParser(parseNumber)
        .default(0.05),
    )
    .option(
      '--no-flagship-fallback',
      'when the verdict is not a cascade, leave the route as it was instead of writing a flagship-only route',
    )
    .option(
      '--curve [file]',
      "also draw the tuned procedure's cost-against-accuracy curve (table, JSON and a chart, an SVG or PNG image by the extension, default tune-<route>-curve.svg)",
    )
    .addOption(
      new Option(
        '--calibrate <method>',
        "fit a calibration of a confidence gate's signal, for its score only (it never moves the decision)",
      ).choices(['isotonic', 'platt', 'none']),
    )
    .addOption(new Option('--folds <count>', 'cross-validation folds').argParser(parsePositiveInteger).default(5))
    .addOption(
      new Option('--resamples <count>', 'bootstrap resamples (model-based method, cost caps)')
        .argParser(parsePositiveInteger)
        .default(1000),
    )
    .addOption(
      new Option('--seed <integer>', 'seed of the folds and the bootstrap')
        .argParser(parseNonNegativeInteger)
        .default(1),
    )
    .option('--json', 'print the result as one JSON object', false)
    .addHelpText(
      'after',
      '\nExactly one objective is required. Every verdict exits 0; only bad input exits non-zero. --config names the routes file\n' +
        'read (as in analyze); the tuned file goes to --out (--config-out is an alias). With --holdout SHARE the rows are split by a\n' +
        'hash of their id and tune runs the fit part, so `analyze --holdout SHARE` measures the tuned route on rows it never saw.',
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
    const chartPath =
      options.curve === undefined || options.curve === false || objective.kind === 'max-cost-per-1k'
        ? undefined
        : resolve(typeof options.curve === 'string' ? options.curve : `tune-${options.route}-curve.svg`);
    if (chartPath !== undefined) chartFormatOf(chartPath);
    const holdout = holdoutSplitOf(options, 'fit');
    const inputText = readFileSync(options.config, 'utf8');
    const configuredGate = loadConfig({ path: options.config }).get(options.route).gate;
    const thresholded = findThresholdedGate(configuredGate);
    const thresholdedGate = thresholdedGateOf(configuredGate, thresholded);
    const variable: DecisionVariable = thresholdedGate?.kind === 'confidence' ? 'signal' : 'score';
    const calibrate = calibrationFor(options.calibrate, thresholdedGate);
    // Both kinds of output must be writable before any row runs.
    writeRoute({
      text: inputText,
      source: options.config,
      route: options.route,
      thresholded,
      variable,
      tuned: { kind: 'flagship-only' },
    });

    const evaluation = await evaluateSelectedRows(options, { holdout, logger, say, progress: bar });
    bar.stop();
    const { run, cheap, flagship } = evaluation;
    const records = recordsForVariable(run.records, thresholded);
    const priceSources = priceSourcesOf(evaluation.policy);

    const tuning = tuneRoute({
      records,
      objective,
      variable,
      method: options.method,
      calibrate,
      confidence: options.confidence,
      folds: options.folds,
      resamples: options.resamples,
      minimumSaving: options.minSaving,
      seed: options.seed,
    });
    const curve =
      chartPath === undefined
        ? undefined
        : tunedCurve({
            records,
            variable,
            method: options.method,
            confidence: options.confidence,
            resamples: options.resamples,
            folds: options.folds,
            seed: options.seed,
            minimumSaving: options.minSaving,
          });
    if (curve !== undefined && chartPath !== undefined) {
      await writeChartFile({
        path: chartPath,
        spec: tunedCurveChartSpec(curve, {
          title: `Tuned ${options.route} · ${cheap} → ${flagship}`,
          subtitle: 'held-out accuracy against cost per 1,000 requests',
        }),
      });
    }

    const route = tuning.decision.route;
    const written =
      route.kind === 'unchanged' || (route.kind === 'flagship-only' && !options.flagshipFallback)
        ? undefined
        : route.kind;
    if (written !== undefined) {
      const outputText = writeRoute({
        text: inputText,
        source: options.config,
        route: options.route,
        thresholded,
        variable,
        tuned: route,
        calibration: tuning.calibration,
      });
      parseConfig(outputText, { source: outputPath, environment: process.env });
      writeFileSync(outputPath, outputText);
      // Read back as a deployment would, so a bad write shows now rather than at the next start.
      loadConfig({ path: outputPath, environment: process.env });
    }

    const overridden = options.cheap !== undefined || options.flagship !== undefined;
    printReport({
      json: options.json,
      report: {
        route: options.route,
        dataset: options.dataset,
        objective,
        verdict: tuning.decision.verdict,
        cheap,
        flagship,
        modelsOverridden: overridden,
        prices: { sources: priceSources, mixed: mixesPriceSources(priceSources) },
        rows: {
          count: evaluation.rows.length,
          ...(holdout !== undefined ? { holdout } : {}),
          ...(options.subset !== undefined ? { subset: options.subset } : {}),
          ids: evaluation.rows.map((row) => row.id),
        },
        runKey: evaluation.runKey,
        resumed: run.resumed,
        failures: run.failures,
        unpricedModels: evaluation.unpricedModels,
        tuning,
        ...(curve ? { curve: { ...curve, chart: chartPath } } : {}),
        written: written === undefined ? null : { path: outputPath, route: written },
      },
      text: () =>
        [
          renderTuningText({
            route: options.route,
            cheap,
            flagship,
            tuning,
            rowsLine:
              `rows: ${describeHoldout(holdout, evaluation.rows.length)} · ${run.resumed} resumed from an earlier run` +
              (run.failures.length > 0
                ? ` · ${run.failures.length} without a flagship answer (counted as flagship wrong)`
                : ''),
            pricesLine: describePriceSources(priceSources),
          }),
          ...(curve ? ['', renderCurveTable(curve), `chart: ${chartPath}`] : []),
          '',
          writtenLine({ written, outputPath, route: options.route, config: options.config, tuning }),
          ...(overridden
            ? [
                `note: tuned on ${cheap} → ${flagship} served by the local model server; the written route keeps its own models, so the verdict holds only if they behave like these`,
              ]
            : []),
        ].join('\n'),
    });
    return 0;
  } catch (error) {
    bar.stop();
    const exitCode = reportFailure(error, { json: options.json });
    return EvaluationInputError.isInstance(error) ||
      TuneOptionsError.isInstance(error) ||
      ChartFormatError.isInstance(error)
      ? 2
      : exitCode;
  }
}

/**
 * The routes file with the tuned route: a cascade (mode back to cascade, the gate's threshold tuned) or the
 * flagship alone (the gate kept, for when a later tuning finds that the cascade pays).
 */
function writeRoute(options: {
  text: string;
  source: string;
  route: string;
  thresholded: ThresholdedGate;
  variable: DecisionVariable;
  tuned: RouteTuning['decision']['route'];
  calibration?: RouteTuning['calibration'];
}): string {
  const { text, source, route, tuned } = options;
  if (tuned.kind === 'unchanged') return text;
  if (tuned.kind === 'flagship-only') return rewriteRouteMode({ text, source, route, mode: 'flagship-only' });
  const cascadeText = rewriteRouteMode({ text, source, route, mode: 'cascade' });
  // A pass-or-fail gate has no threshold: the cascade is the gate as it is.
  if (options.thresholded.kind === 'none') return cascadeText;
  const tuning =
    options.variable === 'signal'
      ? { signalThreshold: tuned.threshold, calibration: options.calibration }
      : { threshold: tuned.threshold };
  return rewriteRouteGate({ text: cascadeText, source, route, tuning });
}

/**
 * The records as the decision sees them. A pass-or-fail gate decides by its verdict alone: a rejected answer
 * is not a candidate at any threshold.
 */
function recordsForVariable(records: readonly EvaluationRecord[], thresholded: ThresholdedGate): EvaluationRecord[] {
  if (thresholded.kind !== 'none') return [...records];
  return records.map((record) => ({ ...record, deterministicPass: record.deterministicPass && record.score >= 1 }));
}

function writtenLine(options: {
  written: string | undefined;
  outputPath: string;
  route: string;
  config: string;
  tuning: RouteTuning;
}): string {
  const { written, outputPath, route, config, tuning } = options;
  if (written === 'cascade')
    return `wrote ${outputPath}: route ${route} runs the cascade with the tuned gate; the rest of ${config} as it was`;
  if (written === 'flagship-only') {
    return `wrote ${outputPath}: route ${route} calls the flagship alone (mode: flagship-only; its cheap tier and gate are kept for a later tuning); the rest of ${config} as it was`;
  }
  return tuning.decision.route.kind === 'unchanged'
    ? `wrote nothing: ${describeObjective(tuning.objective)} is out of reach on these rows`
    : `wrote nothing (--no-flagship-fallback): route ${route} is left as it was`;
}

/** The route's one thresholded gate, or undefined for a pass-or-fail gate. */
function thresholdedGateOf(gate: GateSpec, found: ThresholdedGate): GateSpec | undefined {
  if (found.kind === 'none') return undefined;
  if (found.kind === 'whole') return gate;
  return gate.kind === 'all' ? gate.gates[found.index] : undefined;
}

function parseNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed))
    throw new InvalidArgumentError(`must be a number, got ${JSON.stringify(value)}`);
  return parsed;
}
