import type { ClientBase, Pool } from 'pg';
import { defaultQueueTable, quoteQueueTableName, unqualifiedQueueTableName } from './queue-table-name';

/**
 * The SQL that creates a queue table a PostgreSQL source drains, and its index for keyset pages of
 * queued rows. Idempotent (`IF NOT EXISTS`). The name must be a lower-case identifier, optionally
 * schema-qualified; it is quoted.
 *
 * Columns: `id` (order of the queue), `request_id` (unique; the cascade's request id), `request` (the
 * cascade request as JSON), `status` (`queued`, then `done` or `failed`), and the outcome the job
 * records: `outcome` (`accepted`, `escalated`, `failed`, `pre_routed`, `cheap_only`, `refused`; a refused
 * row is `failed`, so a requeue runs it again), `reason`, `cost_usd`, `workflow_id`,
 * `finished_at`.
 */
export function createQueueTableSql(table: string = defaultQueueTable): string {
  const quoted = quoteQueueTableName(table);
  const index = `"${unqualifiedQueueTableName(table)}_status_id_idx"`;
  return `CREATE TABLE IF NOT EXISTS ${quoted} (
  id bigserial PRIMARY KEY,
  request_id text NOT NULL UNIQUE,
  request jsonb NOT NULL,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'failed')),
  outcome text,
  reason text,
  cost_usd double precision,
  workflow_id text,
  enqueued_at timestamptz DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX IF NOT EXISTS ${index} ON ${quoted} (status, id);
`;
}

/** The SQL that creates the default queue table, `queued_requests`. */
export const queueTableSql = createQueueTableSql(defaultQueueTable);

export interface EnsureQueueTableOptions {
  /** A connected client or a pool. */
  client: Pool | ClientBase;
  /** The table, optionally schema-qualified. @default 'queued_requests' */
  table?: string;
}

/** Creates the queue table and its index unless they exist. */
export async function ensureQueueTable(options: EnsureQueueTableOptions): Promise<void> {
  await options.client.query(createQueueTableSql(options.table ?? defaultQueueTable));
}
