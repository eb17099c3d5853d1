import {
  ApplicationFailure,
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { BackfillActivities } from '../activities/backfill-activities';
import {
  backfillCascadeWorkflowIdOf,
  backfillJobInputSchema,
  countFinished,
  emptyCounters,
  type BackfillCarriedState,
  type BackfillJobInput,
  type BackfillProgress,
  type FinishedRequest,
} from '../common/backfill-job';
import { finishedFromFailure, finishedFromResult } from '../common/backfill-outcome';
import { cascadeRequestSchema, describeIssues, type CascadeWorkflowInput } from '../common/cascade-request';
import { failureTypes } from '../common/failure-types';
import { searchAttributes } from '../common/search-attributes';
import type { QueuedRequest, RequestOutcome } from '../backfill/sources/request-source';
import { formatUsd } from './describe-outcome';
import { cancelUpdate, pauseUpdate, progressQuery, resumeUpdate } from './backfill-messages';
import type { cascade } from './cascade';

const { readBacklogPage, countBacklog, recordBacklogOutcomes, requeueBacklogRequests } =
  proxyActivities<BackfillActivities>({
    startToCloseTimeout: '2 minutes',
    // A source error that would repeat arrives as a non-retryable failure (see `withStableFailures`).
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

/** Waits for a cascade that an earlier run of the job started; it heartbeats while it waits. */
const { awaitFinishedCascade } = proxyActivities<BackfillActivities>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** Outcomes written back to the source at once (a table's rows are marked done in batches). */
const outcomeBatchSize = 50;

/**
 * A back-fill job: drains a source of queued requests through cascades, one child workflow per
 * request (its id derives from the job and the request id, so a request is never paid twice), with at
 * most `concurrency` in flight and at most `ratePerSecond` started per second. It reads the source in
 * pages, writes outcomes back to it, and continues as new every `continueAsNewAfter` cascades with its
 * cursor and totals, so its history stays small however long the queue. Pause, resume and cancel are
 * updates; `progress` is a query; the result is the job's final progress.
 */
export async function backfill(rawInput: BackfillJobInput): Promise<BackfillProgress> {
  const parsed = backfillJobInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    throw ApplicationFailure.create({
      type: failureTypes.invalidRequest,
      message: `invalid back-fill job: ${describeIssues(parsed.error)}`,
      nonRetryable: true,
    });
  }
  const job = parsed.data;
  const pageSize = job.pageSize ?? 100;
  const continueAsNewAfter = job.continueAsNewAfter ?? 500;
  const state: BackfillCarriedState = job.carried ?? {
    sourceDrained: false,
    startedAt: workflowInfo().startTime.toISOString(),
    paused: job.startPaused ?? false,
    runs: 1,
    counters: emptyCounters(),
    failures: [],
    failuresNotListed: 0,
  };
  let stopping = false;
  let inFlight = 0;
  let startedThisRun = 0;
  const queue: QueuedRequest[] = [];
  const pendingOutcomes: RequestOutcome[] = [];

  const progress = (status?: BackfillProgress['status']): BackfillProgress => ({
    jobId: job.jobId,
    route: job.route,
    status: status ?? (stopping ? 'stopping' : state.paused ? 'paused' : 'running'),
    ...(state.total !== undefined ? { total: state.total } : {}),
    inFlight,
    concurrency: job.concurrency,
    ...(job.ratePerSecond !== undefined ? { ratePerSecond: job.ratePerSecond } : {}),
    counters: state.counters,
    failures: state.failures,
    failuresNotListed: state.failuresNotListed,
    startedAt: state.startedAt,
    runs: state.runs,
  });
  /** An update's answer: the progress after the change, also shown as the job's current details. */
  const changed = (): BackfillProgress => {
    const now = progress();
    describeProgress(now);
    return now;
  };
  setHandler(progressQuery, () => progress());
  setHandler(pauseUpdate, () => {
    state.paused = true;
    return changed();
  });
  setHandler(resumeUpdate, () => {
    state.paused = false;
    return changed();
  });
  setHandler(cancelUpdate, () => {
    stopping = true;
    return changed();
  });

  const finish = (finished: FinishedRequest) => {
    countFinished(state, finished);
    pendingOutcomes.push({
      requestId: finished.requestId,
      outcome: finished.outcome,
      ...(finished.outcome === 'failed'
        ? { reason: finished.failureType }
        : finished.escalationReason
          ? { reason: finished.escalationReason }
          : {}),
      costUsd: finished.costUsd,
      workflowId: finished.workflowId ?? '',
    });
  };

  const flushOutcomes = async () => {
    while (pendingOutcomes.length > 0) {
      const batch = pendingOutcomes.splice(0, outcomeBatchSize * 4);
      await recordBacklogOutcomes({ source: job.source, outcomes: batch });
    }
  };
  // Outcomes go back to the source in the background, one batch at a time, so writing them never holds
  // up starting cascades; a write that fails for good fails the job at its next step.
  let flushing: Promise<void> | undefined;
  let flushFailure: unknown;
  const flushInBackground = () => {
    if (flushing || pendingOutcomes.length < outcomeBatchSize) return;
    flushing = CancellationScope.nonCancellable(flushOutcomes)
      .catch((error: unknown) => {
        flushFailure = error;
      })
      .finally(() => {
        flushing = undefined;
      });
  };
  const settleOutcomes = async () => {
    await CancellationScope.nonCancellable(async () => {
      while (flushing) await flushing;
      if (flushFailure) throw flushFailure;
      await flushOutcomes();
    });
  };

  /** Starts one request's cascade in the background; the slot is freed when it ends. */
  const launch = (queued: QueuedRequest) => {
    const row = queued.request;
    const validated = cascadeRequestSchema.safeParse(
      typeof row === 'object' && row !== null && !Array.isArray(row)
        ? {
            ...(row as Record<string, unknown>),
            requestId: queued.requestId,
            route: job.route,
            ...(job.shadowFlagship ? { shadowFlagship: true } : {}),
          }
        : row,
    );
    if (!validated.success) {
      finish({
        requestId: queued.requestId,
        outcome: 'failed',
        failureType: failureTypes.invalidRequest,
        failureReason: `invalid cascade request: ${describeIssues(validated.error)}`,
        costUsd: 0,
        flagshipOnlyUsd: 0,
        judgeUsd: 0,
      });
      return;
    }
    const request: CascadeWorkflowInput = validated.data;
    const workflowId = backfillCascadeWorkflowIdOf(job.jobId, request.requestId);
    inFlight += 1;
    startedThisRun += 1;
    state.counters.started += 1;
    const run = async (): Promise<FinishedRequest> => {
      let handle;
      try {
        handle = await startChild<typeof cascade>('cascade', {
          workflowId,
          args: [request],
          ...(job.cascadeTaskQueue ? { taskQueue: job.cascadeTaskQueue } : {}),
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
          // The job's end, pause or cancellation never cuts a cascade short: it is already being paid for.
          parentClosePolicy: ParentClosePolicy.ABANDON,
          cancellationType: ChildWorkflowCancellationType.ABANDON,
          typedSearchAttributes: [
            { key: searchAttributes.route, value: request.route },
            { key: searchAttributes.backfillJob, value: job.jobId },
            ...(request.tags?.customer ? [{ key: searchAttributes.customer, value: request.tags.customer }] : []),
          ],
          staticSummary: `${request.route} · request ${request.requestId} · back-fill ${job.jobId}`,
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        state.counters.started -= 1;
        const earlier = await awaitFinishedCascade({ workflowId, requestId: request.requestId });
        return { ...earlier, alreadyDone: true };
      }
      try {
        return finishedFromResult(workflowId, await handle.result());
      } catch (error) {
        return finishedFromFailure(request.requestId, workflowId, error);
      }
    };
    // In flight, a cascade is already being paid for: cancelling the job never cuts it short.
    void CancellationScope.nonCancellable(run)
      .catch((error: unknown) => finishedFromFailure(request.requestId, workflowId, error))
      .then((finished) => {
        finish(finished);
        inFlight -= 1;
        flushInBackground();
      });
  };

  const limiter = rateLimiter(job.ratePerSecond);

  try {
    if (!job.carried) {
      if (job.onlyRequestIds) await requeueBacklogRequests({ source: job.source, requestIds: job.onlyRequestIds });
      const total = job.onlyRequestIds ? job.onlyRequestIds.length : await countBacklog({ source: job.source });
      if (total !== undefined && total !== null) state.total = total;
    }
    describeProgress(progress());
    for (;;) {
      if (stopping) break;
      if (flushFailure) throw flushFailure;
      const runIsFull = startedThisRun >= continueAsNewAfter || workflowInfo().continueAsNewSuggested;
      if (queue.length === 0 && (state.sourceDrained || runIsFull)) {
        if (state.sourceDrained) break;
        await condition(() => inFlight === 0);
        await settleOutcomes();
        await condition(allHandlersFinished);
        describeProgress(progress());
        return await continueAsNew<typeof backfill>({ ...job, carried: { ...state, runs: state.runs + 1 } });
      }
      // The next page is read before the queue runs dry, so every free slot finds a request waiting.
      if (!state.sourceDrained && !runIsFull && queue.length < job.concurrency) {
        const page = await readBacklogPage({
          source: job.source,
          ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
          limit: pageSize,
          ...(job.onlyRequestIds ? { onlyRequestIds: job.onlyRequestIds } : {}),
        });
        state.counters.read += page.requests.length + page.unreadable.length;
        for (const row of page.unreadable) {
          finish({
            requestId: row.requestId ?? row.rowKey,
            outcome: 'failed',
            failureType: failureTypes.invalidRequest,
            failureReason: `${row.rowKey}: ${row.reason}`,
            costUsd: 0,
            flagshipOnlyUsd: 0,
            judgeUsd: 0,
          });
        }
        queue.push(...page.requests);
        if (page.nextCursor === undefined) state.sourceDrained = true;
        else state.cursor = page.nextCursor;
        describeProgress(progress());
        continue;
      }
      await condition(() => stopping || (!state.paused && inFlight < job.concurrency));
      if (stopping) break;
      await limiter.acquire();
      launch(queue.shift()!);
      flushInBackground();
    }
  } catch (error) {
    if (!isCancellation(error)) throw error;
    stopping = true;
    log.info('back-fill job cancelled: letting the cascades in flight finish', { jobId: job.jobId, inFlight });
  }

  // Drained, cancelled or stopped: the cascades in flight finish and are counted either way.
  await CancellationScope.nonCancellable(() => condition(() => inFlight === 0));
  await settleOutcomes();
  await condition(allHandlersFinished);
  const final = progress(stopping ? 'cancelled' : 'completed');
  describeProgress(final);
  return final;
}

/** The job's current details in the Web UI: one line of counts. */
function describeProgress(progress: BackfillProgress): void {
  const counters = progress.counters;
  const of = progress.total !== undefined ? ` of ${progress.total}` : '';
  setCurrentDetails(
    `${progress.route} · ${progress.status} · ${counters.done}${of} done · ${counters.escalated} escalated · ${counters.failed} failed · ${formatUsd(counters.costUsd)}`,
  );
}

/**
 * At most `ratePerSecond` starts per second: a window of at least a second holds that many tickets,
 * refilled by a timer once the window's first ticket is taken (no timers while nothing starts).
 */
function rateLimiter(ratePerSecond: number | undefined) {
  if (ratePerSecond === undefined) return { acquire: async () => undefined };
  const windowMs = Math.max(1000, 1000 / ratePerSecond);
  const perWindow = Math.max(1, Math.floor((ratePerSecond * windowMs) / 1000));
  let tickets = perWindow;
  let refilling = false;
  const refill = async () => {
    refilling = true;
    await sleep(windowMs);
    tickets = perWindow;
    refilling = false;
  };
  return {
    async acquire(): Promise<void> {
      await condition(() => tickets > 0);
      tickets -= 1;
      // A cancelled job stops refilling; nothing waits for tickets then.
      if (!refilling) void refill().catch(() => undefined);
    },
  };
}
