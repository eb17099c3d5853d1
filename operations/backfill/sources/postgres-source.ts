import { Pool } from 'pg';
import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';
import { checkPageLimit } from './page-limit';
import { quoteQueueTableName } from './queue-table-name';
import type { QueuedRequest, RequestOutcome, RequestSource, UnreadableRow } from './request-source';
import { isJsonObject, readStoredRequestId } from './stored-request-id';

export interface PostgresRequestSourceOptions {
  /**
   * Connection URL (`postgres://user@host:5432/database`). A missing password is read by the driver
   * from PGPASSWORD or ~/.pgpass of the process.
   */
  connectionString: string;
  /** The queue table, optionally schema-qualified; layout in `queue-table.ts`. */
  table: string;
  /** Connections the source may hold open. @default 2 */
  maximumConnections?: number;
}

interface QueuedRow {
  id: string;
  request_id: string;
  request: unknown;
}

const cursorPattern = /^\d{1,19}$/;

/**
 * A PostgreSQL queue table (see `queue-table.ts`): the rows whose `status` is `queued`, in `id` order.
 *
 * - Pages are keyset pages (`id > cursor ORDER BY id`); the cursor is the last `id` read, so rows
 *   enqueued later with higher ids are read too, and rows marked since are not read again.
 * - The row's `request_id` column is the request id. A `request` without a `requestId` gets it from that
 *   column; one whose valid `requestId` differs from it is unreadable (`id N`), since its outcome could
 *   not be recorded on the row. A `request` that is not a JSON object is unreadable.
 * - `recordOutcomes` marks the rows in one UPDATE: `status` `failed` for a failed cascade, `done`
 *   otherwise, with `outcome`, `reason`, `cost_usd`, `workflow_id` and `finished_at = now()`.
 * - `requeue` puts failed rows back in the queue (`status` `queued`, outcome columns cleared); done rows
 *   stay done. A job re-reading from the start then finds them again.
 * - `count()` counts the queued rows.
 *
 * Connection and query errors are not wrapped, so the activity that reads a page is retried.
 */
export function createPostgresRequestSource(options: PostgresRequestSourceOptions): RequestSource {
  const table = quoteQueueTableName(options.table);
  const pool = new Pool({ connectionString: options.connectionString, max: options.maximumConnections ?? 2 });
  // An idle connection that the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  return {
    async readPage(cursor, limit) {
      checkPageLimit(limit);
      if (cursor !== undefined && !cursorPattern.test(cursor)) {
        throw new BackfillSourceError({
          type: backfillSourceErrorTypes.invalidCursor,
          message: `${JSON.stringify(cursor)} is not a PostgreSQL source cursor (a row id)`,
        });
      }
      // One row more than the page tells whether another page follows.
      const result =
        cursor === undefined
          ? await pool.query<QueuedRow>(
              `SELECT id, request_id, request FROM ${table} WHERE status = 'queued' ORDER BY id LIMIT $1`,
              [limit + 1],
            )
          : await pool.query<QueuedRow>(
              `SELECT id, request_id, request FROM ${table} WHERE status = 'queued' AND id > $1::bigint ORDER BY id LIMIT $2`,
              [cursor, limit + 1],
            );
      const rows = result.rows.slice(0, limit);
      const requests: QueuedRequest[] = [];
      const unreadable: UnreadableRow[] = [];
      for (const row of rows) {
        const read = readRow(row);
        if ('reason' in read) unreadable.push(read);
        else requests.push(read);
      }
      const hasMore = result.rows.length > limit;
      return { requests, unreadable, nextCursor: hasMore ? rows[rows.length - 1]!.id : undefined };
    },

    async count() {
      const result = await pool.query<{ count: string }>(
        `SELECT count(*) AS count FROM ${table} WHERE status = 'queued'`,
      );
      return Number(result.rows[0]!.count);
    },

    async recordOutcomes(outcomes: readonly RequestOutcome[]) {
      if (outcomes.length === 0) return;
      await pool.query(
        `UPDATE ${table} AS queued
            SET status = CASE WHEN finished.outcome = 'failed' THEN 'failed' ELSE 'done' END,
                outcome = finished.outcome,
                reason = finished.reason,
                cost_usd = finished.cost_usd,
                workflow_id = finished.workflow_id,
                finished_at = now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::double precision[], $5::text[])
                AS finished(request_id, outcome, reason, cost_usd, workflow_id)
          WHERE queued.request_id = finished.request_id`,
        [
          outcomes.map((outcome) => outcome.requestId),
          outcomes.map((outcome) => outcome.outcome),
          outcomes.map((outcome) => outcome.reason ?? null),
          outcomes.map((outcome) => outcome.costUsd),
          outcomes.map((outcome) => outcome.workflowId),
        ],
      );
    },

    async requeue(requestIds: readonly string[]) {
      if (requestIds.length === 0) return;
      await pool.query(
        `UPDATE ${table}
            SET status = 'queued', outcome = NULL, reason = NULL, cost_usd = NULL, workflow_id = NULL, finished_at = NULL
          WHERE status = 'failed' AND request_id = ANY($1::text[])`,
        [requestIds],
      );
    },

    async close() {
      await pool.end();
    },
  };
}

function readRow(row: QueuedRow): QueuedRequest | UnreadableRow {
  const rowKey = `id ${row.id}`;
  if (!isJsonObject(row.request)) return { rowKey, requestId: row.request_id, reason: 'request is not a JSON object' };
  const stored = readStoredRequestId(row.request);
  if (stored.requestId === undefined) {
    const request =
      'requestId' in row.request && row.request.requestId !== undefined
        ? row.request
        : { ...row.request, requestId: row.request_id };
    return { requestId: row.request_id, request };
  }
  if (stored.requestId !== row.request_id) {
    return {
      rowKey,
      requestId: row.request_id,
      reason: `request.requestId ${JSON.stringify(stored.requestId)} differs from the row's request_id ${JSON.stringify(row.request_id)}`,
    };
  }
  return { requestId: row.request_id, request: row.request };
}
