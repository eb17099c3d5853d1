/**
 * The chaos suite: a stack of its own (a Temporal server, the local model server, cascade workers in
 * processes of their own, a PostgreSQL cost ledger and queue table), cascades in flight while workers
 * and the server are killed with SIGKILL, then checks that nothing was lost, repeated or mis-billed.
 *
 *   npm run chaos                         # 1,000 cascades, 2,000 back-fill rows, on the dev server
 *   npm run chaos -- --short              # 200 and 300: the CI version
 *   npm run chaos -- --server postgres    # the same on the full Temporal server on PostgreSQL
 *   npm run chaos -- --server both
 */
import { ledgerTables } from '../../operations/ledger/ledger-schema';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { Command, Option } from 'commander';
import pMap from 'p-map';
import { Pool } from 'pg';
import { BackfillClient } from '../../client/backfill-client';
import { CascadeClient } from '../../client/cascade-client';
import { parseConfig } from '../../config/load-config';
import { backfillCascadeWorkflowIdOf } from '../../contracts/backfill/backfill-job';
import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import { promptKey } from '../../evaluation/datasets/prompt-key';
import { createModelServer, type ModelServer } from '../../local-stack/model-server/model-server';
import { ensureQueueTable } from '../../operations/backfill/sources/queue-table';
import { workflowBundleOptions } from '../../workers/workflow-bundle-options';
import { chaosModels, chaosRoutesYaml, chaosTicket } from './chaos-workload';
import { startChaosServer, type ChaosServer, type ChaosServerKind } from './chaos-server';

const postgresUrl = process.env.CASCADE_CHAOS_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const apiKeyVariable = 'CASCADE_CHAOS_MODEL_API_KEY';
const apiKey = 'chaos-key-not-a-secret';

interface ChaosOptions {
  requests: number;
  rows: number;
  server: ChaosServerKind | 'both';
  short: boolean;
}

interface CheckResult {
  name: string;
  passed: boolean;
  detail: string;
}

async function main(): Promise<void> {
  const program = new Command('chaos')
    .option('--short', 'the CI version: 200 cascades and 300 back-fill rows', false)
    .addOption(new Option('--requests <count>', 'cascades kept in flight').argParser(Number))
    .addOption(new Option('--rows <count>', 'back-fill rows in the PostgreSQL queue table').argParser(Number))
    .addOption(
      new Option('--server <kind>', 'which Temporal server').choices(['dev', 'postgres', 'both']).default('dev'),
    )
    .parse();
  const flags = program.opts<{ short: boolean; requests?: number; rows?: number; server: ChaosOptions['server'] }>();
  const options: ChaosOptions = {
    short: flags.short,
    requests: flags.requests ?? (flags.short ? 200 : 1000),
    rows: flags.rows ?? (flags.short ? 300 : 2000),
    server: flags.server,
  };
  const kinds: ChaosServerKind[] = options.server === 'both' ? ['dev', 'postgres'] : [options.server];
  let failed = false;
  for (const kind of kinds) {
    const checks = await runChaos(kind, options);
    process.stdout.write(
      `\nchaos on the ${kind === 'dev' ? 'dev server (SQLite)' : 'Temporal server on PostgreSQL'}:\n`,
    );
    for (const check of checks)
      process.stdout.write(`  ${check.passed ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
    failed ||= checks.some((check) => !check.passed);
  }
  process.exitCode = failed ? 1 : 0;
}

async function runChaos(kind: ChaosServerKind, options: ChaosOptions): Promise<CheckResult[]> {
  const run = randomBytes(4).toString('hex');
  const directory = mkdtempSync(join(tmpdir(), `cascade-chaos-${kind}-`));
  const say = (line: string) => process.stderr.write(`[chaos ${kind} ${run}] ${line}\n`);
  const children: ChildProcess[] = [];
  let server: ChaosServer | undefined;
  let modelServer: ModelServer | undefined;
  const database = new Pool({ connectionString: postgresUrl, max: 2 });
  const ledgerTable = `chaos_ledger_${run}`;
  const queueTable = `chaos_queue_${run}`;
  let keepDirectory = false;
  try {
    say('starting the Temporal server, the model server and a worker');
    server = await startChaosServer({ kind, directory, postgresUrl, say });
    modelServer = createModelServer({ models: chaosModels(), datasets: [], apiKey, callLogLimit: 1_000_000 });
    const modelServerUrl = (await modelServer.start()).url;
    const routesYaml = chaosRoutesYaml({ modelServerUrl, apiKeyVariable });
    const taskQueue = `chaos-${run}`;
    const bundlePath = join(directory, 'workflow-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger })).code);

    const startWorker = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'chaos-worker.ts')], {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: server!.address,
          CASCADE_CHAOS_TASK_QUEUE: taskQueue,
          CASCADE_CHAOS_ROUTES_YAML: routesYaml,
          CASCADE_CHAOS_WORKFLOW_BUNDLE: bundlePath,
          CASCADE_LEDGER_URL: postgresUrl,
          CASCADE_LEDGER_TABLE: ledgerTable,
          [apiKeyVariable]: apiKey,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(child);
      // The worker logs to stderr: kept in the run's folder, and read for the line that says it polls.
      let output = '';
      const log = createWriteStream(join(directory, 'workers.log'), { flags: 'a' });
      child.stderr!.on('data', (chunk: Buffer) => {
        log.write(chunk);
        if (!output.includes('cascade worker started')) output += chunk.toString();
      });
      const deadline = Date.now() + 120_000;
      while (!output.includes('cascade worker started')) {
        if (child.exitCode !== null) throw new Error(`worker process exited with ${child.exitCode}`);
        if (Date.now() > deadline) throw new Error('worker process did not start within 120 s');
        await sleep(100);
      }
      return child;
    };
    const killWorker = async (child: ChildProcess, label: string) => {
      say(`SIGKILL ${label} (pid ${child.pid})`);
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((resolve) => child.once('exit', resolve));
    };

    let worker = await startWorker();
    const connection = await Connection.connect({ address: server.address });
    const temporal = new Client({ connection, namespace: 'default' });
    const routes = parseConfig(routesYaml, { environment: {} });
    const client = new CascadeClient({ client: temporal, routes, taskQueue });
    const closedCount = async (prefix: string) =>
      (await temporal.workflow.count(`WorkflowId STARTS_WITH "${prefix}" AND ExecutionStatus != "Running"`)).count;
    const waitFor = async (what: string, done: () => Promise<boolean>, timeoutMs = 30 * 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!(await done().catch(() => false))) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(500);
      }
    };

    // 1. Cascades in flight while workers and the server are killed.
    const requests = Array.from({ length: options.requests }, (_, index) => chaosTicket(run, index));
    const prefix = `cascade-chaos-${run}-`;
    say(`starting ${requests.length} cascades`);
    const startedAt = Date.now();
    await pMap(requests, (request) => client.start(request), { concurrency: 100 });
    const fractionDone = async (share: number) =>
      waitFor(`${share * 100}% of the cascades`, async () => (await closedCount(prefix)) >= share * requests.length);
    await fractionDone(0.15);
    await killWorker(worker, 'worker 1');
    worker = await startWorker();
    await fractionDone(0.4);
    await killWorker(worker, 'worker 2');
    worker = await startWorker();
    await fractionDone(0.6);
    say('SIGKILL the Temporal server');
    await server.kill();
    await sleep(2_000);
    await server.restart();
    say('the Temporal server is back');
    await waitFor('every cascade', async () => (await closedCount(prefix)) >= requests.length);
    const cascadeSeconds = (Date.now() - startedAt) / 1000;

    // 2. A back-fill of a PostgreSQL queue table with a worker killed in the middle.
    await ensureQueueTable({ client: database, table: queueTable });
    const rows = Array.from({ length: options.rows }, (_, index) => chaosTicket(`${run}-row`, index));
    for (let start = 0; start < rows.length; start += 500) {
      const batch = rows.slice(start, start + 500);
      await database.query(
        `INSERT INTO ${queueTable} (request_id, request) SELECT * FROM unnest($1::text[], $2::jsonb[])`,
        [batch.map((row) => row.requestId), batch.map((row) => JSON.stringify(row))],
      );
    }
    const jobId = `chaos-${run}`;
    const backfill = new BackfillClient({ client: temporal, routes, taskQueue });
    say(`starting a back-fill of ${rows.length} rows`);
    await backfill.start({
      jobId,
      source: { kind: 'postgres', url: postgresUrl, table: queueTable },
      route: 'tickets',
      concurrency: 64,
      pageSize: 100,
    });
    const backfillPrefix = backfillCascadeWorkflowIdOf(jobId, '');
    await waitFor('40% of the rows', async () => (await closedCount(backfillPrefix)) >= 0.4 * rows.length);
    await killWorker(worker, 'worker 3 during the back-fill');
    worker = await startWorker();
    const summary = await backfill.result(jobId);

    // 3. The checks.
    say('checking');
    const checks = await checkEverything({
      temporal,
      database,
      modelServer,
      requests,
      rows,
      prefix,
      backfillPrefix,
      jobId,
      ledgerTable,
      queueTable,
      summaryDone: summary.counters.done,
      cascadeSeconds,
    });
    keepDirectory = checks.some((check) => !check.passed);
    return checks;
  } catch (error) {
    keepDirectory = true;
    throw error;
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await modelServer?.stop().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await database.query(`DROP TABLE IF EXISTS ${ledgerTables(ledgerTable).join(', ')}`).catch(() => undefined);
    await database.query(`DROP TABLE IF EXISTS ${queueTable}`).catch(() => undefined);
    await database.end();
    if (keepDirectory) say(`logs kept in ${directory}`);
    else rmSync(directory, { recursive: true, force: true });
  }
}

async function checkEverything(context: {
  temporal: Client;
  database: Pool;
  modelServer: ModelServer;
  requests: ReturnType<typeof chaosTicket>[];
  rows: ReturnType<typeof chaosTicket>[];
  prefix: string;
  backfillPrefix: string;
  jobId: string;
  ledgerTable: string;
  queueTable: string;
  summaryDone: number;
  cascadeSeconds: number;
}): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  const check = (name: string, passed: boolean, detail: string) => checks.push({ name, passed, detail });

  // Every request finished exactly once: one execution per workflow id, closed, completed.
  const executions = new Map<string, string[]>();
  for (const prefix of [context.prefix, context.backfillPrefix]) {
    for await (const execution of context.temporal.workflow.list({ query: `WorkflowId STARTS_WITH "${prefix}"` })) {
      executions.set(execution.workflowId, [...(executions.get(execution.workflowId) ?? []), execution.status.name]);
    }
  }
  const expectedIds = [
    ...context.requests.map((request) => `cascade-${request.requestId}`),
    ...context.rows.map((row) => backfillCascadeWorkflowIdOf(context.jobId, row.requestId)),
  ];
  const notOnce = expectedIds.filter((id) => (executions.get(id) ?? []).length !== 1);
  const notCompleted = expectedIds.filter((id) => executions.get(id)?.[0] !== 'COMPLETED');
  check(
    'every request finished exactly once',
    notOnce.length === 0 && notCompleted.length === 0 && executions.size === expectedIds.length,
    `${expectedIds.length} requests (${context.requests.length} cascades in ${context.cascadeSeconds.toFixed(0)} s, ${context.rows.length} back-fill rows): ` +
      `${executions.size} workflow ids, ${notOnce.length} not run exactly once, ${notCompleted.length} not completed`,
  );

  // Every row done exactly once, marked with its cascade.
  const marked = await context.database.query<{ status: string; rows: string; workflows: string }>(
    `SELECT status, count(*) AS rows, count(DISTINCT workflow_id) AS workflows FROM ${context.queueTable} GROUP BY status`,
  );
  const byStatus = Object.fromEntries(marked.rows.map((row) => [row.status, Number(row.rows)]));
  check(
    'every back-fill row done or failed exactly once',
    (byStatus.done ?? 0) + (byStatus.failed ?? 0) === context.rows.length &&
      context.summaryDone === context.rows.length &&
      marked.rows.every((row) => row.rows === row.workflows),
    `rows by status ${JSON.stringify(byStatus)}; the job counted ${context.summaryDone} done`,
  );

  // No completed call repeated: each model answered a prompt at most as many times as the attempt that
  // completed (a call killed before its activity completed is retried, and counted in that attempt).
  const results = new Map<string, CascadeResult>();
  await pMap(
    expectedIds,
    async (id) => {
      results.set(id, (await context.temporal.workflow.getHandle(id).result()) as CascadeResult);
    },
    { concurrency: 32 },
  );
  const answered = new Map<string, number>();
  for (const entry of context.modelServer.callCounts().log) {
    if (entry.status === 200 && entry.promptKey) {
      const key = `${entry.model} ${entry.promptKey}`;
      answered.set(key, (answered.get(key) ?? 0) + 1);
    }
  }
  let completedCalls = 0;
  let answeredCalls = 0;
  const repeated: string[] = [];
  for (const [id, request] of [
    ...context.requests.map((request) => [`cascade-${request.requestId}`, request] as const),
    ...context.rows.map((row) => [backfillCascadeWorkflowIdOf(context.jobId, row.requestId), row] as const),
  ]) {
    const result = results.get(id)!;
    for (const tier of result.tiers) {
      if (tier.status !== 'answered') continue;
      completedCalls += 1;
      const served = answered.get(`${tier.model} ${promptKey(request.messages)}`) ?? 0;
      answeredCalls += served;
      if (served > tier.attempts) repeated.push(`${id} ${tier.tier}: answered ${served}, attempt ${tier.attempts}`);
    }
  }
  const possiblyBilled = expectedIds.reduce((total, id) => total + (results.get(id)!.cost.possiblyBilledCalls ?? 0), 0);
  check(
    'no completed call repeated',
    repeated.length === 0,
    `${completedCalls} completed model calls; the model server answered ${answeredCalls} times (${answeredCalls - completedCalls} answers to calls interrupted by a kill, each retried as a later attempt; ${possiblyBilled} calls counted as possibly billed by the model-call journal)${repeated.length > 0 ? `; repeated: ${repeated.slice(0, 5).join('; ')}` : ''}`,
  );

  // The cost ledger equals the results.
  const ledger = await context.database.query<{ workflow_id: string; total_usd: number }>(
    `SELECT workflow_id, total_usd FROM ${context.ledgerTable}`,
  );
  const ledgerCost = new Map(ledger.rows.map((row) => [row.workflow_id, Number(row.total_usd)]));
  const mismatched = expectedIds.filter(
    (id) => Math.abs((ledgerCost.get(id) ?? Number.NaN) - results.get(id)!.cost.totalUsd) > 1e-12,
  );
  const resultTotal = expectedIds.reduce((total, id) => total + results.get(id)!.cost.totalUsd, 0);
  const ledgerTotal = [...ledgerCost.values()].reduce((total, cost) => total + cost, 0);
  check(
    'the cost ledger equals the results',
    mismatched.length === 0 && ledger.rows.length === expectedIds.length,
    `${ledger.rows.length} ledger rows for ${expectedIds.length} cascades, ${mismatched.length} differing; ledger $${ledgerTotal.toFixed(6)}, results $${resultTotal.toFixed(6)}`,
  );
  return checks;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const silent = () => undefined;
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
