import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { z } from 'zod';
import { describeIssues } from '../../contracts/cascade/cascade-request';
import { loadRecordedDataset } from '../../evaluation/datasets/recorded-dataset';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { packageRoot } from '../dev-server/package-root';

/**
 * How a demo route's gate was tuned, kept beside its tuning set (e.g. `local-stack/demo/data/exam-tuning.json`) so the
 * demo can say where the gate came from. It describes the gate only while the routes file still holds
 * `signalThreshold`: a gate tuned again, or edited, no longer matches it.
 */
const tuningRecordSchema = z
  .object({
    route: z.string().min(1),
    /** The labelled rows the gate was tuned on, relative to this record's file. */
    dataset: z.string().min(1),
    /** The objective: lose at most this many points of accuracy against the flagship alone. */
    maxAccuracyLossPoints: z.number().nonnegative(),
    /** How sure the tuner had to be that the objective holds, e.g. 0.95. */
    confidence: z.number().gt(0).lt(1),
    /** The tuner's verdict (`pays`, `cheap-alone`, `does-not-pay`, `not-enough-rows`). */
    verdict: z.string().min(1),
    /** The confidence gate's `signalThreshold` the tuning wrote. */
    signalThreshold: z.number().finite(),
    /** The command that tuned it, for people. */
    command: z.string().min(1),
  })
  .strict();
export type TuningRecord = z.infer<typeof tuningRecordSchema>;

/** A tuning record with the rows it names. */
export interface RouteTuning {
  record: TuningRecord;
  /** The tuning set's path, relative to the project (`local-stack/demo/data/exam-tuning.jsonl.gz`). */
  datasetPath: string;
  rows: RecordedRow[];
}

const projectRoot = packageRoot();

/**
 * Reads a tuning record and its tuning set.
 *
 * @throws Error naming the file and the bad field; InvalidDatasetError for a bad tuning set.
 */
export async function loadRouteTuning(path: string): Promise<RouteTuning> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read the tuning record ${path}: ${(error as Error).message}`);
  }
  const parsed = tuningRecordSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${path}: ${describeIssues(parsed.error)}`);
  const datasetPath = resolve(dirname(path), parsed.data.dataset);
  return {
    record: parsed.data,
    datasetPath: relative(projectRoot, datasetPath),
    rows: await loadRecordedDataset(datasetPath),
  };
}
