import type { CascadeOutcome } from '../../../contracts/cascade/cascade-result';

/**
 * One queued request as a source yields it: the fields of a cascade request (`requestId`,
 * `messages`, optional `route`, `tags`, `outputSchema`), not yet validated, so one bad row fails on
 * its own with a reason instead of failing the page.
 */
export interface QueuedRequest {
  /** The request id, when the row has one that can be read; otherwise the source's own row key. */
  requestId: string;
  /** The row as stored, to be validated as a cascade request. */
  request: unknown;
}

/** A row the source could not read as a request at all (bad JSON, say). */
export interface UnreadableRow {
  /** The source's key of the row: `line 17`, `id 42`. */
  rowKey: string;
  /** The request id if one could be read. */
  requestId?: string;
  reason: string;
}

export interface SourcePage {
  requests: QueuedRequest[];
  unreadable: UnreadableRow[];
  /** Where the next page starts; undefined when the source is drained. */
  nextCursor: string | undefined;
}

/** How one request ended, for a source that records outcomes (a table's rows are marked done). */
export interface RequestOutcome {
  requestId: string;
  outcome: CascadeOutcome;
  /** Failure type or escalation reason. */
  reason?: string;
  costUsd: number;
  workflowId: string;
}

/**
 * A queue of requests a back-fill job drains, read in pages from a cursor the job keeps, so a job
 * that restarts continues where it stopped. Implementations: a JSONL file, a PostgreSQL table; a team
 * can add its own.
 */
export interface RequestSource {
  /** Reads up to `limit` requests after `cursor` (undefined: from the start). */
  readPage(cursor: string | undefined, limit: number): Promise<SourcePage>;
  /** How many requests remain from the start (for the progress bar's time left), if cheap to know. */
  count(): Promise<number | undefined>;
  /** Records how requests ended, if the source keeps outcomes; a file source does nothing. */
  recordOutcomes(outcomes: readonly RequestOutcome[]): Promise<void>;
  /** Puts failed requests back in the queue, for a retry of a job's failures; a file source has none. */
  requeue?(requestIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
