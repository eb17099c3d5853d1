import { Pool } from 'pg';
import { BackfillSourceError, backfillSourceErrorTypes } from './backfill-source-error';
import { checkPageLimit } from './page-limit';
import { quoteQueueTableName } from './queue-table-name';
import { defaultRowLimits, oversizedRowReason, type RowLimits } from './row-limits';
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
  /** How large a row and a page may be. @default defaultRowLimits */
  limits?: RowLimits;
}

interface QueuedRow {
  id: string;
  request_id: string;
  /** Left out (null) when the row is larger than a request row may be. */
  request: unknown;
  /** The size of `request` as JSON text. */
  bytes: number;
}

const cursorPattern = /^\d{1,19}$/;

/**
 * A PostgreSQL queue table (see `queue-table.ts`): the rows whose `status` is `queued`, in `id` order.
 *
 * - Pages are keyset pages (`id > cursor ORDER BY id`); the cursor is the last `id` read, so rows
 *   enqueued later with higher ids are read too, and rows marked since are not read again.
 * - The row's `request_id` column is the request id. A `request` without a `requestId` gets it from that
 *   column; one whose valid `requestId` differs from it is unreadable (`id N`), since its outcome could
 *   not be recorded on the row. A `request` that is not a JSON object, or larger than a request row may
 *   be (`limits.maxRowBytes`, measured in the database and not fetched), is unreadable. A page also
 *   ends before `limits.maxPageBytes`.
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
  const limits = options.limits ?? defaultRowLimits;
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
      // One row more than the page tells whether another page follows. A row too large to be a request
      // is not fetched, only measured.
      const columns = `id, request_id, octet_length(request::text)::int AS bytes,
        CASE WHEN octet_length(request::text) > ${Math.floor(limits.maxRowBytes)} THEN NULL ELSE request END AS request`;
      const result =
        cursor === undefined
          ? await pool.query<QueuedRow>(
              `SELECT ${columns} FROM ${table} WHERE status = 'queued' ORDER BY id LIMIT $1`,
              [limit + 1],
            )
          : await pool.query<QueuedRow>(
              `SELECT ${columns} FROM ${table} WHERE status = 'queued' AND id > $1::bigint ORDER BY id LIMIT $2`,
              [cursor, limit + 1],
            );
      const requests: QueuedRequest[] = [];
      const unreadable: UnreadableRow[] = [];
      let pageBytes = 0;
      let taken = 0;
      for (const row of result.rows.slice(0, limit)) {
        const oversized = row.bytes > limits.maxRowBytes;
        // A page is an activity's result: it ends before the row that would take it past its bound.
        if (!oversized && requests.length > 0 && pageBytes + row.bytes > limits.maxPageBytes) break;
        const read = oversized
          ? { rowKey: `id ${row.id}`, requestId: row.request_id, reason: oversizedRowReason(row.bytes, limits) }
          : readRow(row);
        if ('reason' in read) unreadable.push(read);
        else {
          requests.push(read);
          pageBytes += row.bytes;
        }
        taken += 1;
      }
      const hasMore = result.rows.length > taken;
      return { requests, unreadable, nextCursor: hasMore ? result.rows[taken - 1]!.id : undefined };
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
            SET status = CASE WHEN finished.outcome IN ('failed', 'refused') THEN 'failed' ELSE 'done' END,
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
