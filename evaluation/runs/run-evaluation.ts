import pMap from 'p-map';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import type { CascadeClient } from '../../client/cascade-client';
import { CascadeFailedError } from '../../client/cascade-errors';
import { workflowIdOf } from '../../client/cascade-client';
import { failureTypes } from '../../contracts/failure-types';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import type { EvaluationItem } from './evaluation-requests';
import { recordFromFailure, recordFromResult, type EvaluationFailure } from './record-from-result';

export interface RunEvaluationOptions {
  /** A client whose routes hold `policy` under its route name, so every request runs that policy. */
  client: CascadeClient;
  /** The policy the items run on (after overrides), to read labels and the gate's verdicts. */
  policy: RoutePolicy;
  items: readonly EvaluationItem[];
  /** Cascades in flight at once. @default 8 */
  concurrency?: number;
  /** Called after each finished item. */
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluationRun {
  /** One record per item, in item order. */
  records: EvaluationRecord[];
  /** Items whose flagship gave no answer (counted as flagship wrong). */
  failures: EvaluationFailure[];
  /** Items that an earlier run had already finished: returned from Temporal, not asked again. */
  resumed: number;
}

/** Failures of the setup, not of an item: every other item would fail the same way, so the run stops. */
const setupFailureTypes = new Set<string>([
  failureTypes.missingApiKey,
  failureTypes.modelNotAllowed,
  failureTypes.invalidRequest,
  failureTypes.unknownRoute,
]);

/**
 * Sends every item through a real cascade workflow, `concurrency` at a time, and turns each result into
 * an evaluation record. A failed cascade becomes a record (flagship wrong) and a failure; a setup failure
 * (a model the worker may not call, a missing key, an invalid request) stops the run by throwing.
 */
export async function runEvaluation(options: RunEvaluationOptions): Promise<EvaluationRun> {
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`runEvaluation: concurrency must be a positive integer, got ${concurrency}`);
  let resumed = 0;
  let done = 0;
  const outcomes = await pMap(
    options.items,
    async (item) => {
      const outcome = await evaluateItem(options, item);
      if (outcome.existing) resumed += 1;
      done += 1;
      options.onProgress?.(done, options.items.length);
      return outcome;
    },
    { concurrency },
  );
  const records = outcomes.map((outcome) => outcome.record);
  const failures = outcomes.map((outcome) => outcome.failure);
  return {
    records,
    failures: failures.filter((failure): failure is EvaluationFailure => failure !== undefined),
    resumed,
  };
}

async function evaluateItem(options: RunEvaluationOptions, item: EvaluationItem) {
  try {
    const result = await options.client.run(item.request);
    return { ...recordFromResult({ row: item.row, result, policy: options.policy }), existing: result.existing };
  } catch (error) {
    if (!CascadeFailedError.isInstance(error) || isSetupFailure(error)) throw error;
    return {
      ...recordFromFailure({
        row: item.row,
        policy: options.policy,
        workflowId: error.workflowId ?? workflowIdOf(item.request.requestId),
        type: error.type,
        message: error.message,
        details: error.details,
      }),
      existing: false,
    };
  }
}

function isSetupFailure(error: CascadeFailedError): boolean {
  if (setupFailureTypes.has(error.type)) return true;
  const tiers = (error.details as { tiers?: Array<{ errorType?: string }> } | undefined)?.tiers ?? [];
  return tiers.some((tier) => setupFailureTypes.has(tier.errorType ?? ''));
}
