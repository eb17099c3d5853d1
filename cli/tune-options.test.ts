import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrationFor, resolveTuneOptions, type TuneCommandOptions } from './tune-options';

const directory = mkdtempSync(join(tmpdir(), 'tune-options-'));
const input = join(directory, 'routes.yaml');
writeFileSync(input, 'routes: {}\n');

const base: TuneCommandOptions = {
  dataset: 'rows.jsonl',
  route: 'exam',
  config: input,
  out: join(directory, 'tuned.yaml'),
  inPlace: false,
  concurrency: 8,
  targetQualityRetention: 0.97,
  confidence: 0.95,
  folds: 5,
  seed: 1,
  json: false,
  method: 'exact',
  minSaving: 0.05,
  resamples: 1000,
  flagshipFallback: true,
};

const invalid = (message: string) => expect.objectContaining({ type: 'InvalidOptions', message });

describe('resolveTuneOptions', () => {
  it('takes exactly one objective and the output path from --out or --config-out', () => {
    expect(resolveTuneOptions(base)).toEqual({
      objective: { kind: 'target-quality-retention', retention: 0.97 },
      outputPath: join(directory, 'tuned.yaml'),
    });
    expect(
      resolveTuneOptions({
        ...base,
        targetQualityRetention: undefined,
        maxCostPer1k: 1.5,
        out: undefined,
        configOut: join(directory, 'b.yaml'),
      }),
    ).toEqual({
      objective: { kind: 'max-cost-per-1k', usd: 1.5 },
      outputPath: join(directory, 'b.yaml'),
    });
  });

  it('refuses no objective or more than one', () => {
    expect(() => resolveTuneOptions({ ...base, targetQualityRetention: undefined })).toThrow(
      invalid(
        'give exactly one objective: --max-accuracy-loss P, --target-quality-retention Z, --target-accuracy X or --max-cost-per-1k Y (got none)',
      ),
    );
    expect(() => resolveTuneOptions({ ...base, targetAccuracy: 0.8 })).toThrow(
      invalid(
        'give exactly one objective: --max-accuracy-loss P, --target-quality-retention Z, --target-accuracy X or --max-cost-per-1k Y (got 2)',
      ),
    );
  });

  it('names an objective out of range', () => {
    expect(() => resolveTuneOptions({ ...base, targetQualityRetention: 1.2 })).toThrow(
      invalid('--target-quality-retention must be a fraction in (0, 1], got 1.2'),
    );
    expect(() => resolveTuneOptions({ ...base, targetQualityRetention: undefined, targetAccuracy: 0 })).toThrow(
      invalid('--target-accuracy must be a fraction in (0, 1], got 0'),
    );
    expect(() => resolveTuneOptions({ ...base, targetQualityRetention: undefined, maxCostPer1k: -1 })).toThrow(
      invalid('--max-cost-per-1k must be a positive number of US dollars, got -1'),
    );
    expect(() => resolveTuneOptions({ ...base, targetQualityRetention: undefined, maxAccuracyLoss: -0.5 })).toThrow(
      invalid(
        '--max-accuracy-loss must be a number of accuracy points from 0 to below 100 (0.5 is half a point), got -0.5',
      ),
    );
  });

  it('takes a loss in points against the flagship', () => {
    expect(resolveTuneOptions({ ...base, targetQualityRetention: undefined, maxAccuracyLoss: 0.5 }).objective).toEqual({
      kind: 'max-accuracy-loss',
      points: 0.5,
    });
  });

  it('names a minimum saving or a resample count out of range', () => {
    expect(() => resolveTuneOptions({ ...base, minSaving: 1 })).toThrow(
      invalid('--min-saving must be a share from 0 to below 1 (0.05 is 5%), got 1'),
    );
    expect(() => resolveTuneOptions({ ...base, resamples: 50 })).toThrow(
      invalid('--resamples must be a whole number of at least 100, got 50'),
    );
  });

  it('needs an output, and refuses the input file as output without --in-place', () => {
    expect(() => resolveTuneOptions({ ...base, out: undefined })).toThrow(
      invalid('give the output routes file: --out FILE (or --config-out FILE)'),
    );
    expect(() => resolveTuneOptions({ ...base, out: input })).toThrow(
      invalid(`--out ${input} is the input routes file (--config); add --in-place to overwrite it`),
    );
    const link = join(directory, 'link.yaml');
    symlinkSync(input, link);
    expect(() => resolveTuneOptions({ ...base, out: link })).toThrow(
      invalid(`--out ${link} is the input routes file (--config); add --in-place to overwrite it`),
    );
    expect(resolveTuneOptions({ ...base, out: input, inPlace: true }).outputPath).toBe(input);
  });

  it('refuses two different outputs, a confidence outside (0, 1) and fewer than two folds', () => {
    expect(() => resolveTuneOptions({ ...base, configOut: join(directory, 'other.yaml') })).toThrow(
      invalid(expect.stringContaining('differ; they are one option, give it once') as unknown as string),
    );
    expect(() => resolveTuneOptions({ ...base, confidence: 1 })).toThrow(
      invalid('--confidence must be a fraction strictly between 0 and 1, got 1'),
    );
    expect(() => resolveTuneOptions({ ...base, folds: 1 })).toThrow(
      invalid('--folds must be a whole number of at least 2, got 1'),
    );
  });
});

describe('calibrationFor', () => {
  const confidence = { kind: 'confidence', threshold: 0.9 } as const;
  const judge = { kind: 'judge', model: 'mini', rubric: 'right?', threshold: 0.5 } as const;

  it('fits none unless asked: the decision is on the signal, a calibration only gives the score', () => {
    expect(calibrationFor(undefined, confidence)).toBeUndefined();
    expect(calibrationFor(undefined, judge)).toBeUndefined();
    expect(calibrationFor(undefined, undefined)).toBeUndefined();
    expect(calibrationFor('platt', confidence)).toBe('platt');
    expect(calibrationFor('none', confidence)).toBeUndefined();
  });

  it('refuses a calibration for a gate that is not a confidence gate', () => {
    expect(() => calibrationFor('isotonic', judge)).toThrow(
      invalid("--calibrate isotonic applies to a confidence gate, but the route's thresholded gate is judge"),
    );
  });
});
