import { Pool } from 'pg';
import { BackfillSourceError } from './backfill-source-error';
import { createPostgresRequestSource } from './postgres-source';
import { createQueueTableSql, ensureQueueTable, queueTableSql } from './queue-table';
import type { RequestSource } from './request-source';

/** The PostgreSQL server the tests use (trust authentication, database `test`). */
const connectionString = process.env.BACKFILL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Unique to this run, so runs in parallel do not share rows; dropped after. */
const table = `public.backfill_source_test_${process.pid}_${Date.now()}`;

let database: Pool;
let source: RequestSource;

beforeAll(async () => {
  database = new Pool({ connectionString, max: 1 });
  await ensureQueueTable({ client: database, table });
  // Idempotent: a CLI may run it on every start.
  await ensureQueueTable({ client: database, table });
  source = createPostgresRequestSource({ connectionString, table });
});

afterAll(async () => {
  await source?.close();
  await database?.query(`DROP TABLE IF EXISTS ${table}`);
  await database?.end();
});

beforeEach(async () => {
  await database.query(`TRUNCATE ${table} RESTART IDENTITY`);
});

function cascadeRequest(requestId: string): Record<string, unknown> {
  return { requestId, route: 'support', messages: [{ role: 'user', content: `question of ${requestId}` }] };
}

async function enqueue(rows: { requestId: string; request?: unknown }[]): Promise<void> {
  await database.query(`INSERT INTO ${table} (request_id, request) SELECT * FROM unnest($1::text[], $2::jsonb[])`, [
    rows.map((row) => row.requestId),
    rows.map((row) => JSON.stringify(row.request ?? cascadeRequest(row.requestId))),
  ]);
}

async function readAllRequestIds(limit: number): Promise<string[][]> {
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await source.readPage(cursor, limit);
    pages.push(page.requests.map((request) => request.requestId));
    cursor = page.nextCursor;
  } while (cursor !== undefined && pages.length < 100);
  return pages;
}

describe('createPostgresRequestSource pages', () => {
  it('reads the queued rows in id order by keyset pages, every one once', async () => {
    const ids = Array.from({ length: 10 }, (_, index) => `ticket-${index + 1}`);
    await enqueue(ids.map((requestId) => ({ requestId })));

    const pages = await readAllRequestIds(4);

    expect(pages).toEqual([ids.slice(0, 4), ids.slice(4, 8), ids.slice(8)]);
  });

  it('returns the stored request and ends on the page that reads the last row', async () => {
    await enqueue([{ requestId: 'ticket-1' }, { requestId: 'ticket-2' }]);

    const page = await source.readPage(undefined, 2);

    expect(page).toEqual({
      requests: [
        { requestId: 'ticket-1', request: cascadeRequest('ticket-1') },
        { requestId: 'ticket-2', request: cascadeRequest('ticket-2') },
      ],
      unreadable: [],
      nextCursor: undefined,
    });
  });

  it('continues from the last id read, so rows enqueued meanwhile are read and none twice', async () => {
    await enqueue([{ requestId: 'early-1' }, { requestId: 'early-2' }, { requestId: 'early-3' }]);
    const first = await source.readPage(undefined, 2);
    await enqueue([{ requestId: 'late-1' }]);

    const second = await source.readPage(first.nextCursor, 10);

    expect(first.requests.map((request) => request.requestId)).toEqual(['early-1', 'early-2']);
    expect(second.requests.map((request) => request.requestId)).toEqual(['early-3', 'late-1']);
    expect(second.nextCursor).toBeUndefined();
  });

  it('takes the request id from the row when the request has none usable, and refuses a conflicting one', async () => {
    const { route, messages } = cascadeRequest('x');
    await enqueue([
      { requestId: 'no-id', request: { route, messages } },
      { requestId: 'bad-id', request: { requestId: 42, route, messages } },
      { requestId: 'mismatch', request: cascadeRequest('someone-else') },
      { requestId: 'array', request: [1, 2] },
      { requestId: 'fine' },
    ]);

    const page = await source.readPage(undefined, 10);

    expect(page.requests).toEqual([
      { requestId: 'no-id', request: { requestId: 'no-id', route, messages } },
      { requestId: 'bad-id', request: { requestId: 42, route, messages } },
      { requestId: 'fine', request: cascadeRequest('fine') },
    ]);
    expect(page.unreadable).toEqual([
      {
        rowKey: 'id 3',
        requestId: 'mismatch',
        reason: `request.requestId "someone-else" differs from the row's request_id "mismatch"`,
      },
      { rowKey: 'id 4', requestId: 'array', reason: 'request is not a JSON object' },
    ]);
  });

  it('refuses a cursor that is not a row id', async () => {
    const error = await source.readPage('12:4', 10).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BackfillSourceError);
    expect((error as BackfillSourceError).type).toBe('BackfillCursorInvalid');
  });
});

describe('createPostgresRequestSource outcomes', () => {
  interface StoredRow {
    request_id: string;
    status: string;
    outcome: string | null;
    reason: string | null;
    cost_usd: number | null;
    workflow_id: string | null;
    finished_at: Date | null;
  }

  async function storedRows(): Promise<StoredRow[]> {
    const result = await database.query<StoredRow>(
      `SELECT request_id, status, outcome, reason, cost_usd, workflow_id, finished_at FROM ${table} ORDER BY id`,
    );
    return result.rows;
  }

  it('marks the rows done or failed with outcome, reason, cost and workflow id, in one batch', async () => {
    await enqueue(['r-1', 'r-2', 'r-3', 'r-4'].map((requestId) => ({ requestId })));

    await source.recordOutcomes([
      { requestId: 'r-1', outcome: 'accepted', costUsd: 0.0012, workflowId: 'cascade-r-1' },
      {
        requestId: 'r-2',
        outcome: 'escalated',
        reason: 'json-schema: missing field answer',
        costUsd: 0.031,
        workflowId: 'cascade-r-2',
      },
      { requestId: 'r-3', outcome: 'failed', reason: 'InvalidCascadeRequest', costUsd: 0, workflowId: 'cascade-r-3' },
    ]);

    const rows = await storedRows();
    expect(rows.map(({ finished_at: _finishedAt, ...row }) => row)).toEqual([
      {
        request_id: 'r-1',
        status: 'done',
        outcome: 'accepted',
        reason: null,
        cost_usd: 0.0012,
        workflow_id: 'cascade-r-1',
      },
      {
        request_id: 'r-2',
        status: 'done',
        outcome: 'escalated',
        reason: 'json-schema: missing field answer',
        cost_usd: 0.031,
        workflow_id: 'cascade-r-2',
      },
      {
        request_id: 'r-3',
        status: 'failed',
        outcome: 'failed',
        reason: 'InvalidCascadeRequest',
        cost_usd: 0,
        workflow_id: 'cascade-r-3',
      },
      { request_id: 'r-4', status: 'queued', outcome: null, reason: null, cost_usd: null, workflow_id: null },
    ]);
    expect(rows.map((row) => row.finished_at instanceof Date)).toEqual([true, true, true, false]);
  });

  it('counts only queued rows and does not read marked rows again from the start', async () => {
    await enqueue(['q-1', 'q-2', 'q-3', 'q-4', 'q-5'].map((requestId) => ({ requestId })));
    await expect(source.count()).resolves.toBe(5);

    await source.recordOutcomes([
      { requestId: 'q-2', outcome: 'accepted', costUsd: 0.001, workflowId: 'cascade-q-2' },
      { requestId: 'q-4', outcome: 'failed', reason: 'CascadeFailed', costUsd: 0.002, workflowId: 'cascade-q-4' },
    ]);

    await expect(source.count()).resolves.toBe(3);
    await expect(readAllRequestIds(10)).resolves.toEqual([['q-1', 'q-3', 'q-5']]);
  });

  it('records an empty batch without touching the table', async () => {
    await enqueue([{ requestId: 'e-1' }]);

    await source.recordOutcomes([]);

    await expect(source.count()).resolves.toBe(1);
  });

  it('requeues failed rows, clearing their outcome, and leaves done rows done', async () => {
    await enqueue(['f-1', 'f-2'].map((requestId) => ({ requestId })));
    await source.recordOutcomes([
      {
        requestId: 'f-1',
        outcome: 'failed',
        reason: 'ProviderRequestRejected',
        costUsd: 0.004,
        workflowId: 'cascade-f-1',
      },
      { requestId: 'f-2', outcome: 'accepted', costUsd: 0.001, workflowId: 'cascade-f-2' },
    ]);

    await source.requeue!(['f-1', 'f-2']);

    const rows = await storedRows();
    expect(
      rows.map((row) => [
        row.request_id,
        row.status,
        row.outcome,
        row.reason,
        row.cost_usd,
        row.workflow_id,
        row.finished_at,
      ]),
    ).toEqual([
      ['f-1', 'queued', null, null, null, null, null],
      ['f-2', 'done', 'accepted', null, 0.001, 'cascade-f-2', expect.any(Date)],
    ]);
    await expect(readAllRequestIds(10)).resolves.toEqual([['f-1']]);
  });
});

describe('queue table SQL', () => {
  it('creates the default table with its keyset index', () => {
    expect(queueTableSql).toContain('CREATE TABLE IF NOT EXISTS "queued_requests" (');
    expect(queueTableSql).toContain(`CHECK (status IN ('queued', 'done', 'failed'))`);
    expect(queueTableSql).toContain(
      'CREATE INDEX IF NOT EXISTS "queued_requests_status_id_idx" ON "queued_requests" (status, id);',
    );
  });

  it('created the index on (status, id) for the test table', async () => {
    const unqualified = table.slice('public.'.length);
    const result = await database.query<{ indexdef: string }>(
      'SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
      ['public', unqualified],
    );

    expect(result.rows.map((row) => row.indexdef)).toContainEqual(expect.stringContaining(`USING btree (status, id)`));
  });

  it('refuses a table name that is not a lower-case identifier', () => {
    for (const name of ['Queue', 'queue; DROP TABLE x', '"queue"', '1queue', 'a.b.c', '']) {
      expect(() => createQueueTableSql(name)).toThrow(/lower-case SQL identifier/);
    }
  });
});

describe('createPostgresRequestSource row and page sizes', () => {
  it('measures an oversized row in the database, records it as unreadable, and bounds each page', async () => {
    const sized = createPostgresRequestSource({
      connectionString,
      table,
      limits: { maxRowBytes: 2000, maxPageBytes: 2000 },
    });
    try {
      const padded = (requestId: string, length: number) => ({
        ...cascadeRequest(requestId),
        messages: [{ role: 'user', content: 'z'.repeat(length) }],
      });
      await enqueue([
        { requestId: 'a', request: padded('a', 1000) },
        { requestId: 'huge', request: padded('huge', 5000) },
        { requestId: 'b', request: padded('b', 1000) },
        { requestId: 'c', request: padded('c', 1000) },
      ]);
      const first = await sized.readPage(undefined, 10);
      expect(first.requests.map((request) => request.requestId)).toEqual(['a']);
      expect(first.unreadable).toEqual([
        {
          rowKey: 'id 2',
          requestId: 'huge',
          reason: expect.stringMatching(/^row is 5\d{3} bytes, above the 2000 bytes/),
        },
      ]);
      // The third row would take the page past 2,000 bytes: it starts the next page.
      const second = await sized.readPage(first.nextCursor, 10);
      expect(second.requests.map((request) => request.requestId)).toEqual(['b']);
      const third = await sized.readPage(second.nextCursor, 10);
      expect(third.requests.map((request) => request.requestId)).toEqual(['c']);
      expect(third.nextCursor).toBeUndefined();
    } finally {
      await sized.close();
    }
  });
});
