import pMap from 'p-map';
import { WorkflowFailedError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CascadeCost, CascadeResult, TierReport } from '../../contracts/cascade/cascade-result';
import type { FinishedCascade } from '../../contracts/cascade/finished-cascade';
import { backfillCascadeWorkflowIdOf } from '../../contracts/backfill/backfill-job';
import { workflowIdOf } from '../../contracts/cascade/cascade-request';
import { causeChain } from '../../contracts/cause-chain';
import { failureTypes } from '../../contracts/failure-types';
import { searchAttributes } from '../../contracts/search-attributes';
import { visibilityQuery } from '../reporting/visibility-record-reader';
import type { CostLedger } from './cost-ledger';

export interface LedgerReconciliationOptions {
  client: Client;
  ledger: CostLedger;
  /** Cascades that closed at or after this time. */
  since: Date;
  /** …and before this one. @default now */
  until?: Date;
  /** Only the cascades of this route. @default every route */
  route?: string;
  /** Reads of results at once. @default 8 */
  concurrency?: number;
}

export interface LedgerReconciliation {
  /** Closed cascades found in the window. */
  checked: number;
  /** Cascades the ledger already had a row of. */
  alreadyRecorded: number;
  /** Rows written now: cascades whose row was missing. */
  recorded: number;
  /** Cascades with no cost row to write: they failed before any model call (bad input, unknown route), or were terminated. */
  withoutRow: number;
}

/**
 * Writes the cost row of every cascade that closed in a window, from the workflow's own result (or its
 * failure's details), so a ledger that was down while cascades finished catches up. Idempotent: the
 * ledger keeps one row per workflow run, so it can run on a schedule over overlapping windows.
 */
export async function reconcileLedger(options: LedgerReconciliationOptions): Promise<LedgerReconciliation> {
  const tally: LedgerReconciliation = { checked: 0, alreadyRecorded: 0, recorded: 0, withoutRow: 0 };
  const concurrency = options.concurrency ?? 8;
  const query = visibilityQuery({ since: options.since, until: options.until, route: options.route });
  let batch: WorkflowExecutionInfo[] = [];
  const flush = async () => {
    const runs = batch;
    batch = [];
    const missing = options.ledger.missingRuns
      ? await options.ledger.missingRuns(runs)
      : new Set(runs.map((run) => run.runId));
    tally.alreadyRecorded += runs.length - missing.size;
    await pMap(
      runs.filter((run) => missing.has(run.runId)),
      async (execution) => {
        const row = await rowOf(options.client, execution);
        if (!row) {
          tally.withoutRow += 1;
          return;
        }
        await options.ledger.record(row);
        tally.recorded += 1;
      },
      { concurrency },
    );
  };
  for await (const execution of options.client.workflow.list({ query })) {
    if (execution.status.name === 'CONTINUED_AS_NEW') continue;
    tally.checked += 1;
    batch.push(execution);
    if (batch.length >= 200) await flush();
  }
  await flush();
  return tally;
}

/** The ledger row of a closed cascade, read from its result or its `CascadeFailed` details. */
async function rowOf(client: Client, execution: WorkflowExecutionInfo) {
  const base = {
    workflowId: execution.workflowId,
    runId: execution.runId,
    startedAt: execution.startTime.toISOString(),
    finishedAt: (execution.closeTime ?? new Date()).toISOString(),
    ...backfillJobOf(execution),
  };
  const handle = client.workflow.getHandle(execution.workflowId, execution.runId);
  if (execution.status.name === 'COMPLETED') {
    const result = (await handle.result()) as CascadeResult;
    return {
      ...base,
      requestId: result.requestId,
      route: result.route,
      outcome: result.outcome,
      ...(result.escalationReason ? { escalationReason: result.escalationReason } : {}),
      answerTier: result.answer.tier,
      answerModel: result.answer.model,
      cost: result.cost,
      tags: result.tags,
    } satisfies FinishedCascade & { finishedAt: string };
  }
  if (execution.status.name !== 'FAILED') return undefined;
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => (error instanceof WorkflowFailedError ? error : undefined),
  );
  const cascadeFailed = causeChain(failure).find(
    (link): link is ApplicationFailure =>
      link instanceof ApplicationFailure && link.type === failureTypes.cascadeFailed,
  );
  const details = cascadeFailed?.details?.[0] as
    | {
        requestId?: string;
        route?: string;
        escalationReason?: string;
        tiers?: TierReport[];
        cost?: CascadeCost;
        tags?: Record<string, string>;
      }
    | undefined;
  if (!details?.cost || !details.route) return undefined;
  const last = details.tiers?.[details.tiers.length - 1];
  return {
    ...base,
    requestId: details.requestId ?? requestIdOf(execution),
    route: details.route,
    outcome: 'failed',
    ...(details.escalationReason ? { escalationReason: details.escalationReason } : {}),
    ...(last?.errorType ? { failureType: last.errorType } : {}),
    cost: details.cost,
    tags: details.tags ?? {},
  } satisfies FinishedCascade & { finishedAt: string };
}

function backfillJobOf(execution: WorkflowExecutionInfo): { backfillJob?: string } {
  const job = execution.typedSearchAttributes.get(searchAttributes.backfillJob);
  return job ? { backfillJob: job } : {};
}

/**
 * The request id in a cascade's workflow id (`cascade-<requestId>`, `cascade-backfill-<job>-<requestId>`),
 * for failures recorded before their details named it.
 */
function requestIdOf(execution: WorkflowExecutionInfo): string {
  const job = execution.typedSearchAttributes.get(searchAttributes.backfillJob);
  const prefix = job ? backfillCascadeWorkflowIdOf(job, '') : workflowIdOf('');
  return execution.workflowId.startsWith(prefix) ? execution.workflowId.slice(prefix.length) : execution.workflowId;
}
