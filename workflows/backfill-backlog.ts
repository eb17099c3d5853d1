import type { BackfillCarriedState, BackfillJobInput, FinishedRequest } from '../contracts/backfill/backfill-job';
import type { BackfillActivities } from '../activities/backfill-activities';
import type { QueuedRequest, SourcePage } from '../operations/backfill/sources/request-source';
import { invalidRequest } from './backfill-cascade-request';

/** Requests read from the source per page. */
export const defaultPageSize = 100;

/** What the `readBacklogPage` activity takes. */
export type BacklogPageQuery = Parameters<BackfillActivities['readBacklogPage']>[0];

/** What a backlog needs: the job, the state whose cursor and counters it moves, where bad rows go. */
export interface BacklogOptions {
  job: BackfillJobInput;
  /** The job's carried state: its cursor, whether the source is drained, the `read` counter. */
  state: BackfillCarriedState;
  /** Called for each row of a page that cannot be read as a request: it fails at once. */
  onUnreadable(finished: FinishedRequest): void;
}

/**
 * The requests read from the job's source and not yet started, and where the next page starts. It asks
 * for the next page before the queue runs dry, so every free slot finds a request waiting.
 */
export class Backlog {
  private readonly queue: QueuedRequest[] = [];

  constructor(private readonly options: BacklogOptions) {}

  /** No request waits to be started. */
  get isEmpty(): boolean {
    return this.queue.length === 0;
  }

  /** The source has no more pages. */
  get sourceDrained(): boolean {
    return this.options.state.sourceDrained;
  }

  /** True when the next page should be read: the source has more and fewer requests wait than may run at once. */
  needsPage(): boolean {
    return !this.options.state.sourceDrained && this.queue.length < this.options.job.concurrency;
  }

  /** The page after the cursor, for the `readBacklogPage` activity. */
  nextPageQuery(): BacklogPageQuery {
    const { job, state } = this.options;
    return {
      source: job.source,
      ...(state.cursor !== undefined ? { cursor: state.cursor } : {}),
      limit: job.pageSize ?? defaultPageSize,
      ...(job.onlyRequestIds ? { onlyRequestIds: job.onlyRequestIds } : {}),
    };
  }

  /** Takes a page in: counts its rows, fails the unreadable ones, queues its requests, moves the cursor. */
  take(page: SourcePage): void {
    const { state, onUnreadable } = this.options;
    state.counters.read += page.requests.length + page.unreadable.length;
    for (const row of page.unreadable) {
      onUnreadable(invalidRequest({ requestId: row.requestId ?? row.rowKey, reason: `${row.rowKey}: ${row.reason}` }));
    }
    this.queue.push(...page.requests);
    if (page.nextCursor === undefined) state.sourceDrained = true;
    else state.cursor = page.nextCursor;
  }

  /** The oldest request waiting to be started. */
  next(): QueuedRequest {
    const queued = this.queue.shift();
    if (!queued) throw new RangeError('Backlog is empty: read a page before taking a request');
    return queued;
  }
}
