import type { Logger } from 'pino';
import { z } from 'zod';
import { CascadeError } from '../../contracts/cascade-error';
import { describeIssues } from '../../contracts/cascade/cascade-request';
import { failureTypes } from '../../contracts/failure-types';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import type { ScriptedModelSpec } from './scripted-model-spec';

/** Stable `type` of bad model server options. */
export const invalidModelServerOptionsType = failureTypes.invalidModelServerOptions;

/** The model server options are malformed; the message names the option. */
export class InvalidModelServerOptionsError extends CascadeError {
  declare readonly type: typeof invalidModelServerOptionsType;
  override readonly name = 'InvalidModelServerOptionsError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: invalidModelServerOptionsType });
  }
}

export interface ModelServerOptions {
  /**
   * Models played from a script. Validated: a bad spec throws an `InvalidModelSpecError` naming the
   * field. A scripted model wins over a dataset model of the same id.
   * @default []
   */
  models?: readonly ScriptedModelSpec[];
  /**
   * Recorded rows to replay, or paths of dataset files (JSONL, gzipped or not) read by `start()`.
   * Every model id in the rows' `responses` is served.
   * @default []
   */
  datasets?: ReadonlyArray<RecordedRow | string>;
  /** A replayed answer waits `latency_ms × latencyScale` ms; scripted latencies are not scaled. @default 0 */
  latencyScale?: number;
  /** When set, `/v1/*` requests need `Authorization: Bearer <apiKey>` or get a 401. `/admin/*` never does. @default no check */
  apiKey?: string;
  /** Entries kept in the call log (counts stay exact past it). @default 10000 */
  callLogLimit?: number;
  /** Largest request body accepted; larger gets a 413. @default 10 MiB */
  bodyLimitBytes?: number;
  /** Logs each call at `debug`. @default no logging */
  logger?: Logger;
}

export interface ResolvedModelServerOptions {
  latencyScale: number;
  apiKey: string | undefined;
  callLogLimit: number;
  bodyLimitBytes: number;
}

const optionsSchema = z.object({
  latencyScale: z.number().finite().nonnegative().default(0),
  apiKey: z.string().min(1).optional(),
  callLogLimit: z.number().int().positive().default(10_000),
  bodyLimitBytes: z
    .number()
    .int()
    .positive()
    .default(10 * 1024 * 1024),
});

/** Applies the defaults of the scalar options; throws an `InvalidModelServerOptionsError` naming a bad one. */
export function resolveModelServerOptions(options: ModelServerOptions): ResolvedModelServerOptions {
  const parsed = optionsSchema.safeParse({
    latencyScale: options.latencyScale,
    apiKey: options.apiKey,
    callLogLimit: options.callLogLimit,
    bodyLimitBytes: options.bodyLimitBytes,
  });
  if (!parsed.success)
    throw new InvalidModelServerOptionsError({ message: `model server options: ${describeIssues(parsed.error)}` });
  return { ...parsed.data, apiKey: parsed.data.apiKey };
}
