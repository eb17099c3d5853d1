import {
  CancellationScope,
  ChildWorkflowCancellationType,
  ParentClosePolicy,
  condition,
  startChild,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  backfillCascadeWorkflowIdOf,
  type BackfillCounters,
  type BackfillJobInput,
  type FinishedRequest,
} from '../contracts/backfill/backfill-job';
import { finishedFromFailure, finishedFromResult } from '../contracts/backfill/backfill-outcome';
import type { CascadeWorkflowInput } from '../contracts/cascade/cascade-request';
import { searchAttributes } from '../contracts/search-attributes';
import type { QueuedRequest } from '../operations/backfill/sources/request-source';
import { awaitFinishedCascade } from './backfill-activity-proxies';
import { cascadeRequestOfRow } from './backfill-cascade-request';
import type { cascade } from './cascade';

/** What a launcher needs: the job, the counters it moves, and where finished requests go. */
export interface CascadeLauncherOptions {
  job: BackfillJobInput;
  /** The job's counters: `started` counts each cascade this job starts. */
  counters: BackfillCounters;
  /** Called once per request, when its cascade ends or at once when the row is not a valid request. */
  onFinished(finished: FinishedRequest): void;
}

/**
 * Starts the job's cascades as child workflows in the background, one per request, and counts those
 * in flight. A cascade's id derives from the job and the request, so a request an earlier run already
 * started is awaited, not paid again.
 */
export class CascadeLauncher {
  /** Cascades started and not yet finished. */
  inFlight = 0;
  /** Cascades this run has started (a run continues as new after so many). */
  startedThisRun = 0;

  constructor(private readonly options: CascadeLauncherOptions) {}

  /** Resolves once no cascade is in flight. */
  allFinished(): Promise<void> {
    return condition(() => this.inFlight === 0);
  }

  /** Starts one request's cascade in the background; its slot is freed when it ends. */
  launch(queued: QueuedRequest): void {
    const { job, counters, onFinished } = this.options;
    const row = cascadeRequestOfRow({ queued, route: job.route, shadowFlagship: job.shadowFlagship });
    if (!row.valid) {
      onFinished(row.failed);
      return;
    }
    const request = row.request;
    const workflowId = backfillCascadeWorkflowIdOf(job.jobId, request.requestId);
    this.inFlight += 1;
    this.startedThisRun += 1;
    counters.started += 1;
    // In flight, a cascade is already being paid for: cancelling the job never cuts it short.
    void CancellationScope.nonCancellable(() => this.run(request, workflowId))
      .catch((error: unknown) => finishedFromFailure(request.requestId, workflowId, error))
      .then((finished) => {
        this.inFlight -= 1;
        onFinished(finished);
      });
  }

  /** Runs one cascade to its end; a cascade an earlier run of the job started is awaited instead. */
  private async run(request: CascadeWorkflowInput, workflowId: string): Promise<FinishedRequest> {
    const { job, counters } = this.options;
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
      counters.started -= 1;
      const earlier = await awaitFinishedCascade({ workflowId, requestId: request.requestId });
      return { ...earlier, alreadyDone: true };
    }
    try {
      return finishedFromResult(workflowId, await handle.result());
    } catch (error) {
      return finishedFromFailure(request.requestId, workflowId, error);
    }
  }
}
