/**
 * Records the histories that the replay test replays: one cascade per path of the workflow, run on a
 * real dev server with a real worker. Run it when a new workflow version ships, and commit the files:
 *   npx tsx test/record-history-fixtures.ts
 * Older fixtures stay: they prove that histories of earlier versions still replay. `--only` records just
 * the named paths (a path added to the workflow), and leaves every other file as it is:
 *   npx tsx test/record-history-fixtures.ts --only flagship-only
 */
import { ledgerTables } from '../operations/ledger/ledger-schema';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { BackfillJobOptions } from '../client/backfill-client';
import { backfillWorkflowIdOf } from '../contracts/backfill/backfill-job';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { canaryBudgetWorkflowIdOf, canaryWorkflowIdOf } from '../contracts/cascade/canary';
import { utcDayOf } from '../contracts/cascade/canary-budget';
import {
  newRequestId,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from './integration/cascade-harness';
import { difficultyModels, difficultyRoutesYaml } from './integration/difficulty-stack';
import { preRoutingRoutesYaml, trafficModels, trafficRoutesYaml } from './integration/traffic-stack';
import { PostgresCostLedger } from '../operations/ledger/postgres-ledger';
import { Client as PostgresClient } from 'pg';
import globalSetup from './integration/global-setup';
import globalTeardown from './integration/global-teardown';

/** Histories of the current workflow are recorded under this version; older ones stay committed. */
const workflowVersion = 'v6';
/** Histories of the back-fill workflow are recorded under this version. */
const backfillVersion = 'v1';
/** Histories of the drift check are recorded under this version. */
const driftCheckVersion = 'v1';
/** Histories of the canary and of its daily budget are recorded under this version. */
const canaryVersion = 'v1';

const directory = join(__dirname, 'fixtures', 'histories');

/** Saves a history as `<fileName>.json` in the fixtures folder and says so (with `note`, if any). */
function writeHistory(fileName: string, history: temporal.api.history.v1.IHistory, note = ''): void {
  const file = join(directory, `${fileName}.json`);
  writeFileSync(file, historyToJSON(history));
  process.stdout.write(`wrote ${file} (${history.events?.length ?? 0} events${note})\n`);
}

async function record(
  harness: Harness,
  name: string,
  request: Omit<CascadeRequest, 'requestId'>,
  options: { policy?: RoutePolicy } = {},
): Promise<void> {
  const client = options.policy ? harness.clientForPolicy(options.policy) : harness.client;
  const started = await client.start({
    ...request,
    requestId: newRequestId(`fixture-${name}`),
    tags: { customer: 'fixture', ...request.tags },
  });
  await client.result(started.workflowId).catch(() => undefined);
  writeHistory(
    `cascade-${workflowVersion}-${name}`,
    await harness.temporal.workflow.getHandle(started.workflowId).fetchHistory(),
  );
}

/**
 * Writes a job's rows to a JSONL file in a fresh folder, starts the job `<prefix>-job` on them (route
 * `tickets`), runs `body` with its id, then removes the folder.
 */
async function withBackfillJob(options: {
  harness: Harness;
  prefix: string;
  rows: string[];
  settings: Omit<BackfillJobOptions, 'jobId' | 'source' | 'route'>;
  body: (jobId: string) => Promise<void>;
}): Promise<void> {
  const workDirectory = mkdtempSync(join(tmpdir(), 'fixture-backfill-'));
  try {
    const path = join(workDirectory, 'requests.jsonl');
    writeFileSync(path, options.rows.join('\n'));
    const jobId = `${options.prefix}-job`;
    await options.harness.backfill.start({
      jobId,
      source: { kind: 'jsonl', path },
      route: 'tickets',
      ...options.settings,
    });
    await options.body(jobId);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
  }
}

/** A row of a back-fill job: a ticket whose text carries the model server's markers. */
function backfillRow(requestId: string, marker: string): string {
  return JSON.stringify({ requestId, messages: [{ role: 'user', content: `Ticket ${marker}: please classify.` }] });
}

/** Saves the history of one run of a job (the latest run when `runId` is absent). */
async function writeBackfillHistory(options: {
  harness: Harness;
  jobId: string;
  runId?: string;
  name: string;
}): Promise<void> {
  writeHistory(
    `backfill-${backfillVersion}-${options.name}`,
    await options.harness.temporal.workflow
      .getHandle(backfillWorkflowIdOf(options.jobId), options.runId)
      .fetchHistory(),
  );
}

/** A small back-fill job with every kind of row: accepted, escalated, failed, invalid, unreadable. */
async function recordBackfill(harness: Harness, name: string): Promise<void> {
  const prefix = newRequestId('fixture');
  const rows = [
    backfillRow(`${prefix}-1`, 'plain'),
    backfillRow(`${prefix}-2`, 'CHEAP-INVALID-JSON'),
    backfillRow(`${prefix}-3`, 'CHEAP-OFF-SCHEMA FLAGSHIP-BAD-REQUEST'),
    backfillRow(`${prefix}-4`, 'plain'),
    '{broken',
    JSON.stringify({ requestId: `${prefix}-5`, messages: [] }),
  ];
  await withBackfillJob({
    harness,
    prefix,
    rows,
    settings: { concurrency: 2, ratePerSecond: 20, pageSize: 4 },
    body: async (jobId) => {
      await harness.backfill.result(jobId);
      await writeBackfillHistory({ harness, jobId, name });
    },
  });
}

/**
 * A job that continues as new twice, at a rate that makes it wait for tickets: its first run (which ends
 * by continuing as new) is saved as `name`, its last run (which starts from the carried state) as
 * `carriedName`.
 */
async function recordBackfillContinuedAsNew(harness: Harness, name: string, carriedName: string): Promise<void> {
  const prefix = newRequestId('fixture');
  const markers = ['plain', 'CHEAP-SLOW', 'CHEAP-INVALID-JSON', 'plain', 'CHEAP-OFF-SCHEMA FLAGSHIP-BAD-REQUEST'];
  const rows = [...markers, 'CHEAP-SLOW', 'plain'].map((marker, index) => backfillRow(`${prefix}-${index}`, marker));
  await withBackfillJob({
    harness,
    prefix,
    rows,
    settings: { concurrency: 2, ratePerSecond: 2, pageSize: 2, continueAsNewAfter: 3 },
    body: async (jobId) => {
      await harness.backfill.result(jobId);
      await writeBackfillHistory({ harness, jobId, name: carriedName });
      const firstRunId = await firstRunIdOf(harness, backfillWorkflowIdOf(jobId));
      await writeBackfillHistory({ harness, jobId, runId: firstRunId, name });
    },
  });
}

/** The first run of a chain of runs: each run's start event names the run it continues. */
async function firstRunIdOf(harness: Harness, workflowId: string): Promise<string> {
  let runId = (await harness.temporal.workflow.getHandle(workflowId).describe()).runId;
  for (;;) {
    const history = await harness.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
    const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runId;
    runId = previous;
  }
}

/** A job started paused, resumed, then cancelled while cascades are in flight (which finish and are counted). */
async function recordBackfillCancelled(harness: Harness, name: string): Promise<void> {
  const prefix = newRequestId('fixture');
  const rows = Array.from({ length: 10 }, (_, index) => backfillRow(`${prefix}-${index}`, 'CHEAP-SLOW'));
  await withBackfillJob({
    harness,
    prefix,
    rows,
    settings: { concurrency: 2, ratePerSecond: 10, pageSize: 3, startPaused: true },
    body: async (jobId) => {
      await waitUntil(async () => (await harness.backfill.progress(jobId)).counters.read > 0);
      await harness.backfill.resume(jobId);
      await waitUntil(async () => (await harness.backfill.progress(jobId)).counters.done >= 2);
      await harness.backfill.pause(jobId);
      await harness.backfill.resume(jobId);
      await harness.backfill.cancel(jobId);
      await harness.backfill.result(jobId);
      await writeBackfillHistory({ harness, jobId, name });
    },
  });
}

async function waitUntil(predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A drift check on the route of the cascades above: its measured window is far from the baseline, so it alerts. */
async function recordDriftCheck(harness: Harness, name: string): Promise<void> {
  const workflowId = newRequestId('fixture-drift');
  const result = await harness.temporal.workflow.execute('escalationDriftCheck', {
    taskQueue: harness.taskQueue,
    workflowId,
    args: [
      {
        route: 'tickets',
        windowMs: 3_600_000,
        thresholds: { baselineEscalationRate: 0.9, maxDriftPoints: 5, minRequests: 1 },
      },
    ],
  });
  writeHistory(
    `drift-check-${driftCheckVersion}-${name}`,
    await harness.temporal.workflow.getHandle(workflowId).fetchHistory(),
    `, ${JSON.stringify((result as { status?: string }).status)}`,
  );
}

/**
 * An accepted request of the canaried route: the cascade that starts its canary, the canary (the flagship
 * disagrees), and the route's budget of the day (still open: a budget closes after its day).
 */
async function recordCanary(harness: Harness, name: string): Promise<void> {
  const requestId = newRequestId('fixture-canary');
  const started = await harness.client.start({ ...ticket('plain ticket', 'tickets-canary'), requestId });
  await harness.client.result(started.workflowId);
  const canary = await harness.temporal.workflow.getHandle(canaryWorkflowIdOf(requestId)).result();
  const fetch = (workflowId: string) => harness.temporal.workflow.getHandle(workflowId).fetchHistory();
  writeHistory(`cascade-${workflowVersion}-${name}`, await fetch(started.workflowId));
  writeHistory(
    `canary-check-${canaryVersion}-${(canary as { result: string }).result}`,
    await fetch(canaryWorkflowIdOf(requestId)),
  );
  writeHistory(
    `canary-budget-${canaryVersion}-open`,
    await fetch(canaryBudgetWorkflowIdOf('tickets-canary', utcDayOf(new Date()))),
  );
}

/**
 * The stacks the fixtures run on: the standard routes (with a flagship-only one), the difficulty gates, and
 * the traffic-control routes (tiers with fallback models, circuit breaking).
 */
interface Stacks {
  standard: Harness;
  difficulty: Harness;
  traffic: Harness;
  /** Pre-routing and budgets, with a cost ledger on a table of its own (`budgetsLedger`). */
  budgets: Harness;
}

/**
 * A request of a customer whose budget is at its hard cap (0 spent of $0): refused with action `refuse`,
 * or held to the cheap tier with `cheap-only` (then its cheap answer is off the schema, and stands).
 */
async function recordOverBudget(harness: Harness, name: string, action: 'refuse' | 'cheap-only'): Promise<void> {
  const customer = `fixture-${action}`;
  await budgetsLedger!.budgets.set({ scope: 'customer', name: customer, period: 'day', hardUsd: 0, action });
  const started = await harness.client.start({
    ...ticket(action === 'refuse' ? 'plain ticket' : 'CHEAP-OFF-SCHEMA'),
    requestId: newRequestId(`fixture-${name}`),
    tags: { customer },
  });
  await harness.client.result(started.workflowId).catch(() => undefined);
  writeHistory(
    `cascade-${workflowVersion}-${name}`,
    await harness.temporal.workflow.getHandle(started.workflowId).fetchHistory(),
  );
}

let budgetsLedger: PostgresCostLedger | undefined;
const postgresUrl = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const budgetsLedgerTable = 'cascade_ledger_fixture_recording';

/**
 * A request answered by the cheap tier's fallback because the first model's circuit is open: an outage of
 * `primary-model` opens it (the traffic stack opens after 4 failed calls), then the request is recorded.
 */
async function recordCircuitOpen(harness: Harness, name: string): Promise<void> {
  harness.modelServer.startOutage({ model: 'primary-model', status: 503 });
  try {
    for (let index = 0; index < 4; index += 1)
      await harness.client.run({ ...ticket('outage'), requestId: newRequestId('fixture-outage') });
    await record(harness, name, ticket('plain ticket'));
  } finally {
    harness.modelServer.endOutage('primary-model');
  }
}

/** One fixture: its path name (the end of its file name) and how to record it. */
interface FixtureCase {
  name: string;
  record(stacks: Stacks, name: string): Promise<void>;
}

const ticket = (marker: string, route = 'tickets') => ({
  route,
  messages: [{ role: 'user' as const, content: `Ticket ${marker}: please classify.` }],
});
const ask = (route: string, content: string) => ({ route, messages: [{ role: 'user' as const, content }] });
const cascadeCase = (
  stack: keyof Stacks,
  name: string,
  request: Omit<CascadeRequest, 'requestId'>,
  policy?: (harness: Harness) => RoutePolicy,
): FixtureCase => ({
  name,
  record: (stacks) => record(stacks[stack], name, request, { policy: policy?.(stacks[stack]) }),
});
const ticketsPolicy = (harness: Harness) => harness.routes.get('tickets');

const cases: FixtureCase[] = [
  cascadeCase('standard', 'accepted', ticket('plain ticket')),
  cascadeCase('standard', 'escalated-json-invalid', ticket('CHEAP-INVALID-JSON')),
  cascadeCase('standard', 'escalated-rate-limited-flagship', ticket('CHEAP-REFUSES FLAGSHIP-RATE-LIMITED')),
  cascadeCase('standard', 'escalated-cheap-timeout', ticket('CHEAP-HANGS')),
  cascadeCase('standard', 'failed-flagship-bad-request', ticket('CHEAP-OFF-SCHEMA FLAGSHIP-BAD-REQUEST')),
  cascadeCase('standard', 'flagship-only', ticket('plain ticket', 'tickets-direct')),
  cascadeCase('standard', 'escalated-cheap-empty', ticket('CHEAP-EMPTY')),
  cascadeCase('standard', 'failed-cheap-key-refused', ticket('CHEAP-KEY-REFUSED')),
  cascadeCase('standard', 'accepted-supplied-policy', ticket('plain ticket'), ticketsPolicy),
  cascadeCase('standard', 'escalated-request-sampling', {
    ...ticket('CHEAP-OFF-SCHEMA'),
    temperature: 0.3,
    maxOutputTokens: 200,
  }),
  cascadeCase('standard', 'failed-policy-rejected', ticket('plain ticket'), (harness) => {
    const policy = ticketsPolicy(harness);
    return { ...policy, cheap: { ...policy.cheap, retry: { ...policy.cheap.retry, maximumAttempts: 37 } } };
  }),
  cascadeCase('difficulty', 'escalated-low-confidence', ask('confidence', 'Which letter? UNSURE')),
  cascadeCase('difficulty', 'accepted-self-consistency', ask('consistency', 'Which letter? CONFIDENT')),
  cascadeCase('difficulty', 'escalated-judge-rejected', ask('judged', 'Capital of France? JUDGE-DISLIKES')),
  cascadeCase('difficulty', 'escalated-weighted', ask('weighted', 'Capital of France? JUDGE-DISLIKES')),
  cascadeCase('difficulty', 'accepted-shadow-flagship', {
    ...ask('confidence', 'Which letter? CONFIDENT'),
    shadowFlagship: true,
  }),
  { name: 'accepted-canary', record: (stacks, name) => recordCanary(stacks.standard, name) },
  cascadeCase('traffic', 'accepted-fallback', ticket('PRIMARY-DOWN')),
  cascadeCase('traffic', 'escalated-both-tiers-fall-back', ticket('PRIMARY-DOWN BACKUP-DOWN FLAGSHIP-DOWN')),
  { name: 'accepted-circuit-open', record: (stacks, name) => recordCircuitOpen(stacks.traffic, name) },
  cascadeCase(
    'budgets',
    'pre-routed-context-window',
    ask('routed', `Ticket: ${'my invoice is wrong again. '.repeat(80)}`),
  ),
  cascadeCase('budgets', 'pre-routed-rule', { ...ticket('plain ticket', 'routed'), tags: { team: 'legal' } }),
  { name: 'refused-over-budget', record: (stacks, name) => recordOverBudget(stacks.budgets, name, 'refuse') },
  { name: 'cheap-only-over-budget', record: (stacks, name) => recordOverBudget(stacks.budgets, name, 'cheap-only') },
  { name: 'mixed-rows', record: (stacks, name) => recordBackfill(stacks.standard, name) },
  {
    name: 'continued-as-new',
    record: (stacks, name) => recordBackfillContinuedAsNew(stacks.standard, name, 'carried-over'),
  },
  { name: 'cancelled', record: (stacks, name) => recordBackfillCancelled(stacks.standard, name) },
  // It alerts on the `tickets` cascades recorded before it in the same run: record it with them.
  { name: 'alert', record: (stacks, name) => recordDriftCheck(stacks.standard, name) },
];

/** The path names given with `--only` (comma-separated, or the option repeated); every path without it. */
function selectedNames(argv: readonly string[]): Set<string> {
  const known = cases.map((fixture) => fixture.name);
  const names: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    const value =
      argument === '--only'
        ? argv[(index += 1)]
        : argument.startsWith('--only=')
          ? argument.slice('--only='.length)
          : undefined;
    if (value === undefined)
      throw new Error(
        `unexpected argument ${JSON.stringify(argument)}; usage: record-history-fixtures.ts [--only PATH[,PATH...]]`,
      );
    names.push(...value.split(','));
  }
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(
      `--only: unknown path ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the paths are ${known.join(', ')}`,
    );
  return new Set(names.length > 0 ? names : known);
}

async function main(): Promise<void> {
  const selected = selectedNames(process.argv.slice(2));
  await globalSetup();
  mkdirSync(directory, { recursive: true });
  const standard = await startHarness({
    models: standardModels(),
    routesYaml: standardRoutes({ cheapTimeout: '800ms', flagshipOnlyRoute: true, canaryRoute: true }),
  });
  const difficulty = await startHarness({ models: difficultyModels, routesYaml: difficultyRoutesYaml });
  const traffic = await startHarness({
    models: trafficModels(),
    routesYaml: trafficRoutesYaml({
      circuitBreaker: '{ failureShare: 50%, window: 30s, minimumCalls: 4, cooldown: 10m }',
    }),
  });
  budgetsLedger = await PostgresCostLedger.connect({ connectionString: postgresUrl, table: budgetsLedgerTable });
  const budgets = await startHarness({
    models: standardModels(),
    routesYaml: preRoutingRoutesYaml,
    ledger: budgetsLedger,
  });
  try {
    for (const fixture of cases) {
      if (selected.has(fixture.name)) await fixture.record({ standard, difficulty, traffic, budgets }, fixture.name);
    }
  } finally {
    await budgets.stop();
    await budgetsLedger.close();
    const database = new PostgresClient({ connectionString: postgresUrl });
    await database.connect();
    await database.query(`DROP TABLE IF EXISTS ${ledgerTables(budgetsLedgerTable).join(', ')}`);
    await database.end();
    await traffic.stop();
    await difficulty.stop();
    await standard.stop();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
