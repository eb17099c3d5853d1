import { ledgerTables } from './ledger-schema';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { LedgerEntry } from './cost-ledger';
import { LedgerRecordReader } from './ledger-record-reader';
import { PostgresCostLedger } from './postgres-ledger';

// The PostgreSQL of the test machine: trust authentication on 127.0.0.1, database `test`.
const connectionString = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const table = `cascade_ledger_test_${randomBytes(6).toString('hex')}`;

function entry(overrides: Partial<LedgerEntry> & Pick<LedgerEntry, 'workflowId'>): LedgerEntry {
  return {
    runId: 'run-1',
    requestId: overrides.workflowId.replace(/^cascade-/, ''),
    route: 'tickets',
    outcome: 'accepted',
    answerTier: 'cheap',
    cost: {
      totalUsd: 0.000123456789,
      cheapUsd: 0.000123456789,
      flagshipUsd: 0,
      judgeUsd: 0,
      flagshipOnlyUsd: 0.0021,
      savingUsd: 0.001976543211,
    },
    startedAt: '2025-06-01T10:00:00.000Z',
    finishedAt: '2025-06-01T10:00:00.840Z',
    tags: { customer: 'acme', feature: 'triage' },
    ...overrides,
  };
}

let ledger: PostgresCostLedger;
let reader: LedgerRecordReader;
let inspector: Client;

beforeAll(async () => {
  ledger = await PostgresCostLedger.connect({ connectionString, table });
  reader = new LedgerRecordReader({ connectionString, table });
  inspector = new Client({ connectionString });
  await inspector.connect();
});

afterAll(async () => {
  await inspector?.query(`DROP TABLE IF EXISTS ${ledgerTables(table).join(', ')}`);
  await inspector?.end();
  await reader?.close();
  await ledger?.close();
});

describe('PostgresCostLedger and LedgerRecordReader on a real PostgreSQL', () => {
  it('creates its table and indexes, and creating them again changes nothing', async () => {
    await ledger.ensureSchema();
    await Promise.all([ledger.ensureSchema(), ledger.ensureSchema()]);
    const indexes = await inspector.query<{ indexname: string }>(
      'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY indexname',
      [table],
    );
    expect(indexes.rows.map((row) => row.indexname)).toEqual([
      `${table}_customer_finished_at_idx`,
      `${table}_finished_at_idx`,
      `${table}_pkey`,
      `${table}_route_finished_at_idx`,
    ]);
  });

  it('lets a table made before pre-routing and budgets take their outcomes, and still refuses others', async () => {
    const old = `${table}_old`;
    try {
      // The outcome check as the first version of the table had it.
      await inspector.query(
        `CREATE TABLE ${old} (workflow_id text, run_id text, outcome text NOT NULL CHECK (outcome IN ('accepted', 'escalated', 'failed')), customer text, route text, finished_at timestamptz, PRIMARY KEY (workflow_id, run_id))`,
      );
      const upgraded = await PostgresCostLedger.connect({ connectionString, table: old });
      await upgraded.ensureSchema();
      await upgraded.close();
      await inspector.query(
        `INSERT INTO ${old} (workflow_id, run_id, outcome) VALUES ('a', '1', 'pre_routed'), ('b', '1', 'refused')`,
      );
      await expect(
        inspector.query(`INSERT INTO ${old} (workflow_id, run_id, outcome) VALUES ('c', '1', 'bogus')`),
      ).rejects.toThrow(/violates check constraint "[a-z0-9_]+_outcome_v2_check"/);
    } finally {
      await inspector.query(`DROP TABLE IF EXISTS ${ledgerTables(old).join(', ')}`);
    }
  });

  it('records each finished run once, and reads the rows back as reported cascades', async () => {
    await ledger.record(entry({ workflowId: 'cascade-accepted' }));
    const escalated = entry({
      workflowId: 'cascade-escalated',
      outcome: 'escalated',
      escalationReason: 'json_invalid',
      answerTier: 'flagship',
      cost: {
        totalUsd: 0.0031,
        cheapUsd: 0.0001,
        flagshipUsd: 0.0027,
        judgeUsd: 0.0003,
        flagshipOnlyUsd: 0.0027,
        savingUsd: -0.0004,
      },
      finishedAt: '2025-06-01T10:00:02.500Z',
      backfillJob: 'job-7',
      tags: {},
    });
    await ledger.record(escalated);
    // The activity retried after its row was written: the same run again, with other figures.
    await ledger.record({
      ...escalated,
      cost: { ...escalated.cost, totalUsd: 99 },
      finishedAt: '2025-06-01T10:05:00.000Z',
    });
    await ledger.record(
      entry({
        workflowId: 'cascade-failed',
        outcome: 'failed',
        escalationReason: 'refusal',
        failureType: 'ProviderUnavailable',
        answerTier: undefined,
        route: 'billing',
        cost: {
          totalUsd: 0.0001,
          cheapUsd: 0.0001,
          flagshipUsd: 0,
          judgeUsd: 0,
          flagshipOnlyUsd: 0,
          savingUsd: -0.0001,
        },
        finishedAt: '2025-06-01T10:00:09.000Z',
      }),
    );
    // A second run of the same workflow id (a failed cascade started again) is a row of its own.
    await ledger.record(
      entry({ workflowId: 'cascade-failed', runId: 'run-2', route: 'billing', finishedAt: '2025-06-01T11:00:00.000Z' }),
    );

    const count = await inspector.query<{ count: string }>(`SELECT count(*) FROM ${table}`);
    expect(Number(count.rows[0]!.count)).toBe(4);
    const tags = await inspector.query<{ tags: unknown; customer: string | null }>(
      `SELECT tags, customer FROM ${table} WHERE workflow_id = 'cascade-accepted'`,
    );
    expect(tags.rows[0]).toEqual({ tags: { customer: 'acme', feature: 'triage' }, customer: 'acme' });

    const cascades = await reader.read({
      since: new Date('2025-06-01T10:00:00Z'),
      until: new Date('2025-06-01T10:30:00Z'),
    });
    expect(cascades).toEqual([
      {
        workflowId: 'cascade-accepted',
        route: 'tickets',
        outcome: 'accepted',
        answerTier: 'cheap',
        customer: 'acme',
        costUsd: 0.000123456789,
        flagshipOnlyUsd: 0.0021,
        judgeUsd: 0,
        latencyMs: 840,
        startedAt: new Date('2025-06-01T10:00:00.000Z'),
        closedAt: new Date('2025-06-01T10:00:00.840Z'),
      },
      {
        workflowId: 'cascade-escalated',
        route: 'tickets',
        outcome: 'escalated',
        escalationReason: 'json_invalid',
        answerTier: 'flagship',
        backfillJob: 'job-7',
        costUsd: 0.0031,
        flagshipOnlyUsd: 0.0027,
        judgeUsd: 0.0003,
        latencyMs: 2500,
        startedAt: new Date('2025-06-01T10:00:00.000Z'),
        closedAt: new Date('2025-06-01T10:00:02.500Z'),
      },
      {
        workflowId: 'cascade-failed',
        route: 'billing',
        outcome: 'failed',
        escalationReason: 'refusal',
        failureType: 'ProviderUnavailable',
        customer: 'acme',
        costUsd: 0.0001,
        flagshipOnlyUsd: 0,
        judgeUsd: 0,
        latencyMs: 9000,
        startedAt: new Date('2025-06-01T10:00:00.000Z'),
        closedAt: new Date('2025-06-01T10:00:09.000Z'),
      },
    ]);
  });

  it('filters by window, route and back-fill job', async () => {
    const since = new Date('2025-06-01T00:00:00Z');
    const ids = async (query: Partial<Parameters<LedgerRecordReader['read']>[0]>) =>
      (await reader.read({ since, ...query })).map((cascade) => cascade.workflowId);
    expect(await ids({ route: 'billing' })).toEqual(['cascade-failed', 'cascade-failed']);
    expect(await ids({ backfillJob: 'job-7' })).toEqual(['cascade-escalated']);
    expect(await ids({ since: new Date('2025-06-01T10:00:02.500Z'), until: new Date('2025-06-01T11:00:00Z') })).toEqual(
      ['cascade-escalated', 'cascade-failed'],
    );
    expect(await ids({ route: 'no-such-route' })).toEqual([]);
  });

  it('says which table is missing when the reader is pointed at the wrong one', async () => {
    const wrong = new LedgerRecordReader({ connectionString, table: `${table}_missing` });
    try {
      await expect(wrong.read({ since: new Date(0) })).rejects.toThrow(`relation "${table}_missing" does not exist`);
    } finally {
      await wrong.close();
    }
  });
});
