import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CalibrationMethod } from '../gates/calibration/fit-calibration';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { TuningObjective } from '../evaluation/tuning/tuning-objective';

/** `cascade tune`'s options as commander parses them. */
export interface TuneCommandOptions {
  dataset: string;
  route: string;
  /** The input routes file. */
  config: string;
  /** The output routes file (`--out`, or its alias `--config-out`). */
  out?: string;
  configOut?: string;
  inPlace: boolean;
  cheap?: string;
  flagship?: string;
  subset?: string;
  holdout?: number;
  part?: 'fit' | 'holdout';
  limit?: number;
  concurrency: number;
  targetAccuracy?: number;
  maxCostPer1k?: number;
  targetQualityRetention?: number;
  /** Points of accuracy against the flagship (0.5 is half a point). */
  maxAccuracyLoss?: number;
  method: 'exact' | 'model-based';
  /** Draw the tuned procedure's curve: `true`, or the SVG file to write. */
  curve?: boolean | string;
  /** The least saving, a share of the flagship-only cost, worth a cascade. */
  minSaving: number;
  resamples: number;
  /** Write a flagship-only route when the verdict is not a cascade (`--no-flagship-fallback` turns it off). */
  flagshipFallback: boolean;
  calibrate?: 'isotonic' | 'platt' | 'none';
  confidence: number;
  folds: number;
  seed: number;
  json: boolean;
}

/** The options of `tune` that do not depend on the routes file, checked. */
export interface ResolvedTuneOptions {
  objective: TuningObjective;
  /** Absolute path of the output routes file. */
  outputPath: string;
}

/** A command line `tune` cannot run: the message names the option. Exit code 2. */
export class TuneOptionsError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidOptions;
  override readonly name = 'TuneOptionsError';

  constructor(options: { message: string }) {
    super({ ...options, type: failureTypes.invalidOptions });
  }
}

/**
 * Checks the options that need no file read: exactly one objective in range, an output path that is
 * not the input unless `--in-place`, a confidence in (0, 1) and at least two folds.
 *
 * @throws TuneOptionsError naming the option.
 */
export function resolveTuneOptions(options: TuneCommandOptions): ResolvedTuneOptions {
  const objectives: TuningObjective[] = [];
  if (options.targetAccuracy !== undefined)
    objectives.push({ kind: 'target-accuracy', accuracy: fraction('--target-accuracy', options.targetAccuracy) });
  if (options.maxCostPer1k !== undefined) {
    if (!(Number.isFinite(options.maxCostPer1k) && options.maxCostPer1k > 0))
      throw new TuneOptionsError({
        message: `--max-cost-per-1k must be a positive number of US dollars, got ${String(options.maxCostPer1k)}`,
      });
    objectives.push({ kind: 'max-cost-per-1k', usd: options.maxCostPer1k });
  }
  if (options.targetQualityRetention !== undefined)
    objectives.push({
      kind: 'target-quality-retention',
      retention: fraction('--target-quality-retention', options.targetQualityRetention),
    });
  if (options.maxAccuracyLoss !== undefined) {
    if (!(options.maxAccuracyLoss >= 0 && options.maxAccuracyLoss < 100))
      throw new TuneOptionsError({
        message: `--max-accuracy-loss must be a number of accuracy points from 0 to below 100 (0.5 is half a point), got ${String(options.maxAccuracyLoss)}`,
      });
    objectives.push({ kind: 'max-accuracy-loss', points: options.maxAccuracyLoss });
  }
  if (objectives.length !== 1) {
    throw new TuneOptionsError({
      message: `give exactly one objective: --max-accuracy-loss P, --target-quality-retention Z, --target-accuracy X or --max-cost-per-1k Y (got ${objectives.length === 0 ? 'none' : objectives.length})`,
    });
  }
  if (!(options.minSaving >= 0 && options.minSaving < 1))
    throw new TuneOptionsError({
      message: `--min-saving must be a share from 0 to below 1 (0.05 is 5%), got ${String(options.minSaving)}`,
    });
  if (!(Number.isInteger(options.resamples) && options.resamples >= 100))
    throw new TuneOptionsError({
      message: `--resamples must be a whole number of at least 100, got ${String(options.resamples)}`,
    });
  if (
    options.out !== undefined &&
    options.configOut !== undefined &&
    resolve(options.out) !== resolve(options.configOut)
  ) {
    throw new TuneOptionsError({
      message: `--out ${options.out} and --config-out ${options.configOut} differ; they are one option, give it once`,
    });
  }
  const out = options.out ?? options.configOut;
  if (out === undefined)
    throw new TuneOptionsError({ message: 'give the output routes file: --out FILE (or --config-out FILE)' });
  if (sameFile(out, options.config) && !options.inPlace) {
    throw new TuneOptionsError({
      message: `--out ${out} is the input routes file (--config); add --in-place to overwrite it`,
    });
  }
  if (!(options.confidence > 0 && options.confidence < 1))
    throw new TuneOptionsError({
      message: `--confidence must be a fraction strictly between 0 and 1, got ${String(options.confidence)}`,
    });
  if (!(Number.isInteger(options.folds) && options.folds >= 2))
    throw new TuneOptionsError({
      message: `--folds must be a whole number of at least 2, got ${String(options.folds)}`,
    });
  return { objective: objectives[0]!, outputPath: resolve(out) };
}

/**
 * The calibration to fit: the one asked for, else none (a calibration gives the gate's score; the decision is on the raw signal).
 *
 * @throws TuneOptionsError when a calibration is asked for a gate that is not a confidence gate.
 */
export function calibrationFor(
  requested: TuneCommandOptions['calibrate'],
  thresholdedGate: GateSpec | undefined,
): CalibrationMethod | undefined {
  const isConfidence = thresholdedGate?.kind === 'confidence';
  if (requested === undefined || requested === 'none') return undefined;
  if (!isConfidence)
    throw new TuneOptionsError({
      message: `--calibrate ${requested} applies to a confidence gate, but the route's thresholded gate is ${thresholdedGate?.kind ?? 'absent'}`,
    });
  return requested;
}

function fraction(option: string, value: number): number {
  if (!(value > 0 && value <= 1))
    throw new TuneOptionsError({ message: `${option} must be a fraction in (0, 1], got ${String(value)}` });
  return value;
}

/** Same path, or the same file reached another way (a link, `./`). */
function sameFile(left: string, right: string): boolean {
  if (resolve(left) === resolve(right)) return true;
  try {
    const [a, b] = [statSync(left), statSync(right)];
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}
