import { ledgerTables } from '../../operations/ledger/ledger-schema';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';
import {
  newRequestId,
  scheduledModelCalls,
  standardModels,
  standardRoutes,
  startHarness,
  testApiKey,
  testApiKeyVariable,
  type Harness,
} from './cascade-harness';

let harness: Harness;
const children: ChildProcess[] = [];
// The workers keep a cost ledger, whose model-call journal counts calls a kill cut off.
const postgresUrl = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ledgerTable = `crash_ledger_${randomBytes(5).toString('hex')}`;

beforeAll(async () => {
  const models = standardModels();
  // The flagship's first call of this prompt hangs: the worker is killed while it waits.
  models[1]!.rules!.unshift({
    whenContains: 'FLAGSHIP-HANGS-ONCE',
    respond: { text: '{"category": "bug"}', faults: [{ hang: true, times: 1 }] },
  });
  harness = await startHarness({
    models,
    routesYaml: standardRoutes().replace('timeout: 5s', 'timeout: 1s'),
    withoutWorker: true,
  });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await harness?.stop();
  const database = new Pool({ connectionString: postgresUrl, max: 1 });
  await database.query(`DROP TABLE IF EXISTS ${ledgerTables(ledgerTable).join(', ')}`);
  await database.end();
});

/** Starts a worker process and waits until it polls. */
async function startWorkerProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', 'tsx/cjs', join(__dirname, 'worker-process.ts')], {
    env: {
      ...process.env,
      CASCADE_TEST_TEMPORAL_ADDRESS: harness.address,
      CASCADE_TEST_TASK_QUEUE: harness.taskQueue,
      CASCADE_TEST_ROUTES_YAML: harness.routesYaml,
      CASCADE_TEST_WORKFLOW_BUNDLE: requiredEnvironment(integrationEnvironment.workflowBundle),
      CASCADE_LEDGER_URL: postgresUrl,
      CASCADE_LEDGER_TABLE: ledgerTable,
      [testApiKeyVariable]: testApiKey,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`worker process exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('worker process did not start within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

it('finishes a cascade on a new worker after the first is killed mid-cascade, without calling the cheap model again', async () => {
  const first = await startWorkerProcess();
  const request = {
    requestId: newRequestId('crash'),
    route: 'tickets',
    messages: [
      { role: 'user' as const, content: 'Ticket CHEAP-INVALID-JSON FLAGSHIP-HANGS-ONCE: the export never finishes.' },
    ],
  };
  const started = await harness.client.start(request);

  // Wait until the cheap call is done and the flagship call is in flight (it hangs on the model server).
  const deadline = Date.now() + 30_000;
  while (harness.callsOf('flagship-model') === 0) {
    if (Date.now() > deadline) throw new Error('the flagship was never called');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(harness.callsOf('cheap-model')).toBe(1);
  first.kill('SIGKILL');
  await once(first, 'exit');

  await startWorkerProcess();
  const result = await harness.client.result(started.workflowId);

  expect(result.outcome).toBe('escalated');
  expect(result.escalationReason).toBe('json_invalid');
  expect(result.answer.text).toBe('{"category": "bug"}');
  expect(harness.callsOf('cheap-model')).toBe(1);
  expect(harness.callsOf('flagship-model')).toBe(2);
  expect(result.tiers[1]).toMatchObject({ tier: 'flagship', attempts: 2, possiblyBilledCalls: 1 });
  // The flagship call the kill cut off never got an answer: the provider may have billed it.
  expect(result.tiers[0]!.possiblyBilledCalls).toBeUndefined();
  expect(result.cost.possiblyBilledCalls).toBe(1);
  const database = new Pool({ connectionString: postgresUrl, max: 1 });
  try {
    const row = await database.query<{ possibly_billed_calls: number }>(
      `SELECT possibly_billed_calls FROM ${ledgerTable} WHERE workflow_id = $1`,
      [started.workflowId],
    );
    expect(row.rows).toEqual([{ possibly_billed_calls: 1 }]);
  } finally {
    await database.end();
  }
  expect(scheduledModelCalls(await harness.history(started.workflowId))).toEqual({ cheap: 1, flagship: 1 });
});

it('finishes a back-fill job on a new worker after the first is killed mid-job: every request once, none lost', async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const first = await startWorkerProcess();
  const directory = mkdtempSync(join(tmpdir(), 'backfill-crash-'));
  const prefix = newRequestId('crash-job');
  const rows = Array.from({ length: 30 }, (_, index) =>
    JSON.stringify({
      requestId: `${prefix}-${index}`,
      messages: [{ role: 'user', content: `Ticket CHEAP-SLOW ${index}: my invoice is wrong.` }],
    }),
  );
  writeFileSync(join(directory, 'requests.jsonl'), rows.join('\n'));
  const cheapBefore = harness.callsOf('cheap-model');
  const jobId = `${prefix}-job`;
  try {
    await harness.backfill.start({
      jobId,
      source: { kind: 'jsonl', path: join(directory, 'requests.jsonl') },
      route: 'tickets',
      concurrency: 4,
      pageSize: 7,
      continueAsNewAfter: 10,
    });
    const deadline = Date.now() + 60_000;
    while ((await harness.backfill.progress(jobId)).counters.done < 8) {
      if (Date.now() > deadline) throw new Error('the job did not get going');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    first.kill('SIGKILL');
    await once(first, 'exit');

    await startWorkerProcess();
    const summary = await harness.backfill.result(jobId);
    expect(summary.counters).toMatchObject({
      read: 30,
      started: 30,
      done: 30,
      accepted: 30,
      failed: 0,
      alreadyDone: 0,
    });
    // Each request is one cascade, whatever the crash: its workflow id comes from the job and the request.
    let cascades: string[] = [];
    const listed = Date.now() + 15_000;
    while (cascades.length < 30 && Date.now() < listed) {
      cascades = [];
      for await (const execution of harness.temporal.workflow.list({ query: `CascadeBackfillJob = '${jobId}'` }))
        cascades.push(execution.workflowId);
      if (cascades.length < 30) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(new Set(cascades).size).toBe(30);
    expect(cascades).toHaveLength(30);
    // A model call cut off by the crash is asked again (its answer was lost); no request is asked twice otherwise.
    const cheapCalls = harness.callsOf('cheap-model') - cheapBefore;
    expect(cheapCalls).toBeGreaterThanOrEqual(30);
    expect(cheapCalls).toBeLessThanOrEqual(30 + 4);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});
