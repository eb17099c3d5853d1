import { ledgerTables } from '../../operations/ledger/ledger-schema';
import { randomBytes } from 'node:crypto';
import { Client as PostgresClient } from 'pg';
import { Command } from 'commander';
import { registerReportCommand } from '../../cli/report-command';
import { CascadeFailedError } from '../../client/cascade-errors';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import { searchAttributes } from '../../contracts/search-attributes';
import { LedgerRecordReader } from '../../operations/ledger/ledger-record-reader';
import { reconcileLedger } from '../../operations/ledger/ledger-reconciliation';
import { PostgresCostLedger } from '../../operations/ledger/postgres-ledger';
import { buildGroupedReport } from '../../operations/reporting/grouped-report';
import type { ReportedCascade } from '../../operations/reporting/reported-cascade';
import { VisibilityRecordReader } from '../../operations/reporting/visibility-record-reader';
import { newRequestId, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

// The PostgreSQL of the test machine: trust authentication on 127.0.0.1, database `test`.
const postgresUrl = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomBytes(5).toString('hex');
const table = `cascade_ledger_report_${suffix}`;
// A route of this file's own, so cascades of other test files on the shared server stay out of the report.
const route = `report-${suffix}`;

let harness: Harness;
let ledger: PostgresCostLedger;
let startedAt: Date;
const completed: Array<CascadeResult & { workflowId: string }> = [];
const failures: CascadeFailedError[] = [];
let invalidWorkflowId: string;

function ticket(marker: string, customer?: string): CascadeRequest {
  return {
    requestId: newRequestId(`report-${marker.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'plain'}`),
    route,
    messages: [
      { role: 'system', content: 'Classify the support ticket as JSON {"category": ...}.' },
      { role: 'user', content: `Ticket ${marker}: my invoice shows a charge I do not recognise.` },
    ],
    ...(customer ? { tags: { customer } } : {}),
  };
}

async function runFailing(request: CascadeRequest): Promise<CascadeFailedError> {
  const failure = await harness.client.run(request).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(CascadeFailedError);
  return failure as CascadeFailedError;
}

/** Reads until `done` holds: visibility is eventually consistent. */
async function readUntil(
  read: () => Promise<ReportedCascade[]>,
  done: (cascades: ReportedCascade[]) => boolean,
  timeoutMs = 15_000,
): Promise<ReportedCascade[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const cascades = await read();
    if (done(cascades) || Date.now() > deadline) return cascades;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

beforeAll(async () => {
  ledger = await PostgresCostLedger.connect({ connectionString: postgresUrl, table });
  harness = await startHarness({
    models: standardModels(),
    routesYaml: standardRoutes().replace('\n  tickets:\n', `\n  ${route}:\n`),
    ledger,
  });
  startedAt = new Date(Date.now() - 1000);

  completed.push(await harness.client.run(ticket('', 'acme')));
  completed.push(await harness.client.run(ticket('', 'globex')));
  completed.push(await harness.client.run(ticket('CHEAP-INVALID-JSON', 'acme')));
  completed.push(await harness.client.run(ticket('CHEAP-REFUSES')));
  failures.push(await runFailing(ticket('CHEAP-INVALID-JSON FLAGSHIP-BAD-REQUEST', 'acme')));
  // A cascade whose input fails validation fails before it records an outcome (and writes no ledger row).
  invalidWorkflowId = `cascade-${newRequestId('report-invalid')}`;
  const invalid = await harness.temporal.workflow.start('cascade', {
    taskQueue: harness.taskQueue,
    workflowId: invalidWorkflowId,
    args: [{ requestId: 'report-invalid', route, messages: [] }],
    typedSearchAttributes: [{ key: searchAttributes.route, value: route }],
  });
  await expect(invalid.result()).rejects.toThrow();
});

afterAll(async () => {
  await harness?.stop();
  await ledger?.close();
  const postgres = new PostgresClient({ connectionString: postgresUrl });
  await postgres.connect();
  await postgres.query(`DROP TABLE IF EXISTS ${ledgerTables(table).join(', ')}`);
  await postgres.end();
});

describe('cascade report on a real Temporal server', () => {
  it('reads the finished cascades back from visibility and computes their figures', async () => {
    const reader = new VisibilityRecordReader({ client: harness.temporal });
    const cascades = await readUntil(
      () => reader.read({ since: startedAt, route }),
      (read) =>
        read.length === 6 &&
        read.every(
          (cascade) => cascade.outcome !== 'failed' || cascade.costUsd > 0 || cascade.workflowId === invalidWorkflowId,
        ),
    );
    expect(cascades).toHaveLength(6);

    const { total, groups } = buildGroupedReport({ cascades, by: ['tier', 'reason'] });
    expect(total).toMatchObject({ requests: 6, accepted: 2, escalated: 2, failed: 2, escalations: 3 });
    expect(total.acceptedShare).toBeCloseTo(2 / 6, 12);
    expect(total.escalationRate).toBeCloseTo(3 / 6, 12);
    expect(total.escalationsByReason).toEqual({ json_invalid: 2, refusal: 1 });
    // Visibility does not hold a failure's type.
    expect(total.failuresByType).toEqual({ unknown: 2 });
    const failedCost = (failures[0]!.details as { cost: { totalUsd: number } }).cost.totalUsd;
    expect(failedCost).toBeGreaterThan(0);
    expect(total.cascadeCostUsd).toBeCloseTo(sum(completed.map((result) => result.cost.totalUsd)) + failedCost, 12);
    expect(total.flagshipOnlyCostUsd).toBeCloseTo(sum(completed.map((result) => result.cost.flagshipOnlyUsd)), 12);
    expect(total.savingUsd).toBeCloseTo(total.flagshipOnlyCostUsd - total.cascadeCostUsd, 12);
    expect(total.judgeCostUsd).toBe(0);
    expect(total.latency.accepted.count).toBe(2);
    expect(total.latency.escalated.count).toBe(2);
    expect(total.latency.failed.count).toBe(2);
    expect(total.latency.escalated.p50Ms!).toBeGreaterThan(0);
    expect(total.latency.accepted.p95Ms!).toBeLessThanOrEqual(
      Math.max(...cascades.map((cascade) => cascade.latencyMs)),
    );

    expect(
      Object.fromEntries(groups.map((group) => [`${group.key.tier}/${group.key.reason}`, group.requests])),
    ).toEqual({
      'cheap/accepted': 2,
      'flagship/json_invalid': 1,
      'flagship/refusal': 1,
      'none/json_invalid': 1,
      'none/none': 1,
    });
    const byCustomer = buildGroupedReport({ cascades, by: ['customer'] }).groups;
    expect(Object.fromEntries(byCustomer.map((group) => [group.key.customer, group.requests]))).toEqual({
      acme: 3,
      globex: 1,
      none: 2,
    });
  });

  it('reads the same cascades from the PostgreSQL cost ledger, with their failure types', async () => {
    const reader = new LedgerRecordReader({ connectionString: postgresUrl, table });
    try {
      const cascades = await reader.read({ since: startedAt, route });
      // The cascade with invalid input stopped before it could write a row.
      expect(cascades.map((cascade) => cascade.workflowId).sort()).toEqual(
        [...completed.map((result) => result.workflowId), failures[0]!.workflowId].sort(),
      );
      const { total, groups } = buildGroupedReport({ cascades, by: ['reason'] });
      expect(total).toMatchObject({ requests: 5, accepted: 2, escalated: 2, failed: 1, escalations: 3 });
      expect(total.escalationsByReason).toEqual({ json_invalid: 2, refusal: 1 });
      expect(total.failuresByType).toEqual({ ProviderRequestRejected: 1 });
      const failedCost = (failures[0]!.details as { cost: { totalUsd: number } }).cost.totalUsd;
      expect(total.cascadeCostUsd).toBeCloseTo(sum(completed.map((result) => result.cost.totalUsd)) + failedCost, 12);
      expect(total.flagshipOnlyCostUsd).toBeCloseTo(sum(completed.map((result) => result.cost.flagshipOnlyUsd)), 12);
      expect(Object.fromEntries(groups.map((group) => [group.key.reason, group.requests]))).toEqual({
        accepted: 2,
        json_invalid: 2,
        refusal: 1,
      });
      for (const cascade of cascades) {
        expect(cascade.latencyMs).toBeGreaterThan(0);
        expect(cascade.closedAt.getTime()).toBeGreaterThanOrEqual(startedAt.getTime());
      }
      const accepted = cascades.find((cascade) => cascade.workflowId === completed[0]!.workflowId)!;
      expect(accepted).toMatchObject({
        outcome: 'accepted',
        answerTier: 'cheap',
        customer: 'acme',
        costUsd: completed[0]!.cost.totalUsd,
        flagshipOnlyUsd: completed[0]!.cost.flagshipOnlyUsd,
      });
    } finally {
      await reader.close();
    }
  });

  it('writes back the cost rows a ledger lost, from the workflows themselves, and only once', async () => {
    const postgres = new PostgresClient({ connectionString: postgresUrl });
    await postgres.connect();
    try {
      const rowsOf = async () =>
        (
          await postgres.query(
            `SELECT workflow_id, run_id, request_id, route, outcome, escalation_reason, failure_type, answer_tier, customer,
                    total_usd, cheap_usd, flagship_usd, judge_usd, flagship_only_usd, started_at, tags
               FROM ${table} WHERE route = $1 ORDER BY workflow_id`,
            [route],
          )
        ).rows;
      const before = await rowsOf();
      expect(before).toHaveLength(5);
      // The ledger was down when three of them finished: their rows are missing.
      const lost = [completed[1]!.workflowId, completed[2]!.workflowId, failures[0]!.workflowId];
      await postgres.query(`DELETE FROM ${table} WHERE workflow_id = ANY($1::text[])`, [lost]);

      const first = await reconcileLedger({ client: harness.temporal, ledger, since: startedAt, route });
      // The cascade whose input was invalid has no cost row to write.
      expect(first).toEqual({ checked: 6, alreadyRecorded: 2, recorded: 3, withoutRow: 1 });
      expect(await rowsOf()).toEqual(before);

      const again = await reconcileLedger({ client: harness.temporal, ledger, since: startedAt, route });
      expect(again).toEqual({ checked: 6, alreadyRecorded: 5, recorded: 0, withoutRow: 1 });
    } finally {
      await postgres.end();
    }
  });

  it('prints the report as JSON from the command line, grouped by route', async () => {
    const output: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (output.push(String(chunk)), true));
    const savedLedgerUrl = process.env.CASCADE_LEDGER_URL;
    delete process.env.CASCADE_LEDGER_URL;
    try {
      const program = new Command('cascade').exitOverride();
      registerReportCommand(program);
      await program.parseAsync([
        'node',
        'cascade',
        'report',
        '--since',
        '15m',
        '--route',
        route,
        '--by',
        'route',
        '--json',
        '--address',
        harness.address,
      ]);
      expect(process.exitCode).toBe(0);
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
      if (savedLedgerUrl !== undefined) process.env.CASCADE_LEDGER_URL = savedLedgerUrl;
    }
    const report = JSON.parse(output.join('')) as {
      source: string;
      route: string;
      by: string[];
      total: { requests: number };
      groups: Array<{ key: { route: string }; requests: number; latency: { accepted: { p50Ms: number | null } } }>;
    };
    expect(report).toMatchObject({ source: 'visibility', route, by: ['route'], total: { requests: 6 } });
    expect(report.groups).toEqual([expect.objectContaining({ key: { route }, requests: 6 })]);
    expect(report.groups[0]!.latency.accepted.p50Ms).toEqual(expect.any(Number));
  });
});
