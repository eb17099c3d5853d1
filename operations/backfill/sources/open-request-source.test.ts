import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { openRequestSource } from './open-request-source';
import { ensureQueueTable } from './queue-table';
import { parseSourceArgument } from './source-argument';

const connectionString = process.env.BACKFILL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('openRequestSource', () => {
  it('opens a JSONL file from its descriptor', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'open-request-source-'));
    try {
      const path = join(directory, 'requests.jsonl');
      writeFileSync(path, '{"requestId":"ticket-1"}\n{"requestId":"ticket-2"}\n');
      const source = openRequestSource(parseSourceArgument(path));

      const page = await source.readPage(undefined, 10);

      expect(page.requests.map((request) => request.requestId)).toEqual(['ticket-1', 'ticket-2']);
      await source.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('opens a PostgreSQL table from a --source URL', async () => {
    const table = `open_source_test_${process.pid}_${Date.now()}`;
    const database = new Pool({ connectionString, max: 1 });
    try {
      await ensureQueueTable({ client: database, table });
      await database.query(`INSERT INTO ${table} (request_id, request) VALUES ('ticket-9', '{"route": "support"}')`);
      const source = openRequestSource(parseSourceArgument(`${connectionString}?table=${table}`));

      const page = await source.readPage(undefined, 10);
      await source.close();

      expect(page.requests).toEqual([{ requestId: 'ticket-9', request: { route: 'support', requestId: 'ticket-9' } }]);
    } finally {
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.end();
    }
  });
});
