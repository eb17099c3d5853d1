import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client as PostgresClient } from 'pg';
import type { BackfillProgress } from '../../contracts/backfill/backfill-job';
import { backfillCascadeWorkflowIdOf } from '../../contracts/backfill/backfill-job';
import { searchAttributes } from '../../contracts/search-attributes';
import { ensureQueueTable } from '../../operations/backfill/sources/queue-table';
import { parseSourceArgument } from '../../operations/backfill/sources/source-argument';
import { standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

const postgresUrl = 'postgres://postgres@127.0.0.1:5432/test';

let harness: Harness;
let directory: string;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes({ cheapTimeout: '800ms' }) });
  directory = mkdtempSync(join(tmpdir(), 'backfill-test-'));
});

afterAll(async () => {
  await harness?.stop();
  rmSync(directory, { recursive: true, force: true });
});

function ticketRow(requestId: string, marker = ''): Record<string, unknown> {
  return {
    requestId,
    route: 'some-old-route',
    messages: [{ role: 'user', content: `Ticket ${marker}: my invoice shows a charge I do not recognise.` }],
    tags: { customer: 'acme' },
  };
}

function writeJsonl(name: string, lines: string[]): string {
  const path = join(directory, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

function jobName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** Polls the job's progress until it ends; returns every progress seen and the summary. */
async function follow(jobId: string, everyMs = 50): Promise<{ seen: BackfillProgress[]; summary: BackfillProgress }> {
  const seen: BackfillProgress[] = [];
  const ended = harness.backfill.result(jobId);
  let done = false;
  void ended.finally(() => (done = true)).catch(() => undefined);
  while (!done) {
    seen.push(await harness.backfill.progress(jobId).catch(() => seen[seen.length - 1]!));
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return { seen: seen.filter(Boolean), summary: await ended };
}

function callCounts(): { cheap: number; flagship: number } {
  return { cheap: harness.callsOf('cheap-model'), flagship: harness.callsOf('flagship-model') };
}

describe('back-fill jobs on a real Temporal server', () => {
  it('drains a JSONL file through cascades, records bad rows with their reason and goes on', async () => {
    const prefix = randomUUID().slice(0, 8);
    const rows = [
      ...Array.from({ length: 12 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-ok-${index}`))),
      ...Array.from({ length: 4 }, (_, index) =>
        JSON.stringify(ticketRow(`${prefix}-escalates-${index}`, 'CHEAP-OFF-SCHEMA')),
      ),
      JSON.stringify(ticketRow(`${prefix}-fails`, 'CHEAP-REFUSES FLAGSHIP-BAD-REQUEST')),
      '{"requestId": "broken-json", ',
      JSON.stringify({ requestId: `${prefix}-no-messages`, messages: [] }),
    ];
    const source = parseSourceArgument(writeJsonl(`${prefix}.jsonl`, rows));
    const jobId = jobName('jsonl');
    const before = callCounts();

    const started = await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 4, pageSize: 5 });
    expect(started).toEqual({ jobId, workflowId: `backfill-${jobId}`, existing: false });
    const { summary } = await follow(jobId);

    expect(summary.status).toBe('completed');
    expect(summary.total).toBe(19);
    expect(summary.counters).toMatchObject({
      read: 19,
      started: 17,
      done: 19,
      accepted: 12,
      escalated: 4,
      failed: 3,
      alreadyDone: 0,
    });
    expect(summary.counters.escalationsByReason).toEqual({ schema_invalid: 4, refusal: 1 });
    expect(summary.counters.failuresByType).toEqual({ CascadeFailed: 1, InvalidCascadeRequest: 2 });
    const failures = Object.fromEntries(summary.failures.map((failure) => [failure.requestId, failure]));
    expect(failures[`${prefix}-fails`]).toMatchObject({
      type: 'CascadeFailed',
      workflowId: backfillCascadeWorkflowIdOf(jobId, `${prefix}-fails`),
    });
    expect(failures[`${prefix}-fails`]!.reason).toContain('maximum context length exceeded');
    expect(failures[`${prefix}-no-messages`]).toMatchObject({ type: 'InvalidCascadeRequest' });
    expect(failures[`${prefix}-no-messages`]!.reason).toContain('messages');
    expect(failures['line 18']).toMatchObject({ type: 'InvalidCascadeRequest' });
    expect(summary.counters.costUsd).toBeGreaterThan(0);
    expect(summary.counters.flagshipOnlyUsd).toBeGreaterThan(summary.counters.costUsd);

    // One cheap call per cascade; the flagship for the 4 escalations and the failed one.
    const after = callCounts();
    expect(after.cheap - before.cheap).toBe(17);
    expect(after.flagship - before.flagship).toBe(5);

    // Each cascade is a child with an id from the job and the request, on the job's route, tagged with the job.
    const child = await harness.temporal.workflow
      .getHandle(backfillCascadeWorkflowIdOf(jobId, `${prefix}-ok-0`))
      .describe();
    expect(child.status.name).toBe('COMPLETED');
    expect(child.typedSearchAttributes.get(searchAttributes.backfillJob)).toBe(jobId);
    expect(child.typedSearchAttributes.get(searchAttributes.route)).toBe('tickets');
    expect(child.typedSearchAttributes.get(searchAttributes.answerTier)).toBe('cheap');

    // Running the finished job again pays for nothing that finished: those cascades are looked up.
    await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 4, pageSize: 5 });
    const again = (await follow(jobId)).summary;
    expect(again.counters).toMatchObject({ done: 19, accepted: 12, escalated: 4, failed: 3, alreadyDone: 16 });
    const afterAgain = callCounts();
    // Only the failed cascade runs again (a failed workflow id may be reused): one cheap call, one flagship call.
    expect(afterAgain.cheap - after.cheap).toBe(1);
    expect(afterAgain.flagship - after.flagship).toBe(1);
  });

  it('records an oversized row and a Latin-1 row as their own failures, and pages large rows under the payload limit', async () => {
    const prefix = randomUUID().slice(0, 8);
    // Twelve rows of 200 KB: one page of them all would exceed Temporal's 2 MB payload limit.
    const large = Array.from({ length: 12 }, (_, index) =>
      JSON.stringify({
        requestId: `${prefix}-large-${index}`,
        messages: [
          {
            role: 'user',
            content: `Ticket ${index}: ${'my invoice shows a charge I do not recognise. '.repeat(4_400)}`,
          },
        ],
      }),
    );
    const oversized = JSON.stringify({
      requestId: `${prefix}-huge`,
      messages: [{ role: 'user', content: 'x'.repeat(3_000_000) }],
    });
    const path = join(directory, `${prefix}-sizes.jsonl`);
    writeFileSync(
      path,
      Buffer.concat([
        Buffer.from(`${large.slice(0, 6).join('\n')}\n${oversized}\n`),
        Buffer.from(
          `{"requestId": "${prefix}-latin", "messages": [{"role": "user", "content": "caf\xe9"}]}\n`,
          'latin1',
        ),
        Buffer.from(`${large.slice(6).join('\n')}\n`),
      ]),
    );
    const jobId = jobName('sizes');
    await harness.backfill.start({
      jobId,
      source: parseSourceArgument(path),
      route: 'tickets',
      concurrency: 4,
      pageSize: 20,
    });
    const summary = await harness.backfill.result(jobId);
    expect(summary.status).toBe('completed');
    expect(summary.counters).toMatchObject({ read: 14, done: 14, accepted: 12, failed: 2 });
    const reasons = Object.fromEntries(summary.failures.map((failure) => [failure.requestId, failure.reason]));
    expect(JSON.stringify(reasons)).toContain('line 7');
    expect(JSON.stringify(reasons)).toContain('bytes, above the 327680 bytes a request row may take');
    expect(JSON.stringify(reasons)).toContain('line 8');
    expect(JSON.stringify(reasons)).toContain('not valid UTF-8 (save the file as UTF-8)');
  });

  it('keeps the configured number of cascades in flight, never more, and continues as new with its totals', async () => {
    const prefix = randomUUID().slice(0, 8);
    const source = parseSourceArgument(
      writeJsonl(
        `${prefix}.jsonl`,
        Array.from({ length: 24 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-${index}`, 'CHEAP-SLOW'))),
      ),
    );
    const jobId = jobName('bounded');
    const before = callCounts();

    await harness.backfill.start({
      jobId,
      source,
      route: 'tickets',
      concurrency: 6,
      pageSize: 5,
      continueAsNewAfter: 10,
    });
    const { seen, summary } = await follow(jobId, 40);

    const inFlight = seen.map((progress) => progress.inFlight);
    expect(Math.max(...inFlight)).toBe(6);
    expect(summary.counters).toMatchObject({ read: 24, started: 24, done: 24, accepted: 24, failed: 0 });
    // A run stops reading after 10 starts, starts what it has queued, then continues as new.
    expect(summary.runs).toBeGreaterThanOrEqual(2);
    expect(callCounts().cheap - before.cheap).toBe(24);
  });

  it('holds to the rate limit', async () => {
    const prefix = randomUUID().slice(0, 8);
    const source = parseSourceArgument(
      writeJsonl(
        `${prefix}.jsonl`,
        Array.from({ length: 12 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-${index}`))),
      ),
    );
    const jobId = jobName('rated');
    const startedAt = Date.now();
    await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 12, ratePerSecond: 4 });
    const summary = await harness.backfill.result(jobId);
    // 12 starts at 4 per second: the third window of 4 cannot open before 2 s have passed.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2000);
    expect(summary.counters.done).toBe(12);
  });

  it('pauses, resumes and cancels: a cancelled job lets its cascades in flight finish and counts them', async () => {
    const prefix = randomUUID().slice(0, 8);
    const source = parseSourceArgument(
      writeJsonl(
        `${prefix}.jsonl`,
        Array.from({ length: 40 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-${index}`, 'CHEAP-SLOW'))),
      ),
    );
    const jobId = jobName('paused');
    const before = callCounts();

    await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 3, startPaused: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const paused = await harness.backfill.progress(jobId);
    expect(paused.status).toBe('paused');
    expect(paused.counters.started).toBe(0);
    expect(callCounts().cheap - before.cheap).toBe(0);

    expect((await harness.backfill.resume(jobId)).status).toBe('running');
    await waitFor(async () => (await harness.backfill.progress(jobId)).counters.done >= 6);
    const cancelling = await harness.backfill.cancel(jobId);
    expect(cancelling.status).toBe('stopping');

    const summary = await harness.backfill.result(jobId);
    expect(summary.status).toBe('cancelled');
    expect(summary.inFlight).toBe(0);
    expect(summary.counters.done).toBe(summary.counters.started);
    expect(summary.counters.done).toBeLessThan(40);
    expect(callCounts().cheap - before.cheap).toBe(summary.counters.started);
  });

  it('drains a PostgreSQL table, marks each row with its outcome, and retries the failures on their own', async () => {
    const table = `queued_requests_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const database = new PostgresClient({ connectionString: postgresUrl });
    await database.connect();
    try {
      await ensureQueueTable({ client: database, table });
      const prefix = randomUUID().slice(0, 8);
      const rows: Array<[string, unknown]> = [
        ...Array.from({ length: 6 }, (_, index): [string, unknown] => [
          `${prefix}-${index}`,
          ticketRow(`${prefix}-${index}`),
        ]),
        [`${prefix}-escalates`, ticketRow(`${prefix}-escalates`, 'CHEAP-OFF-SCHEMA')],
        [`${prefix}-bad`, { messages: [{ role: 'assistant', content: 'no user message' }] }],
      ];
      for (const [requestId, request] of rows) {
        await database.query(`INSERT INTO ${table} (request_id, request) VALUES ($1, $2)`, [
          requestId,
          JSON.stringify(request),
        ]);
      }
      const source = parseSourceArgument(`${postgresUrl}?table=${table}`);
      const jobId = jobName('table');

      await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 3, pageSize: 3 });
      const summary = await harness.backfill.result(jobId);
      expect(summary.counters).toMatchObject({ done: 8, accepted: 6, escalated: 1, failed: 1 });

      const marked = await database.query<{
        request_id: string;
        status: string;
        outcome: string;
        reason: string | null;
        cost_usd: number | null;
        workflow_id: string | null;
      }>(`SELECT request_id, status, outcome, reason, cost_usd, workflow_id FROM ${table} ORDER BY id`);
      const byId = Object.fromEntries(marked.rows.map((row) => [row.request_id, row]));
      expect(byId[`${prefix}-0`]).toMatchObject({
        status: 'done',
        outcome: 'accepted',
        workflow_id: backfillCascadeWorkflowIdOf(jobId, `${prefix}-0`),
      });
      expect(byId[`${prefix}-0`]!.cost_usd).toBeGreaterThan(0);
      expect(byId[`${prefix}-escalates`]).toMatchObject({
        status: 'done',
        outcome: 'escalated',
        reason: 'schema_invalid',
      });
      expect(byId[`${prefix}-bad`]).toMatchObject({
        status: 'failed',
        outcome: 'failed',
        reason: 'InvalidCascadeRequest',
      });

      // The row is fixed in the table, then only the failure runs again, as its own job.
      await database.query(`UPDATE ${table} SET request = $2 WHERE request_id = $1`, [
        `${prefix}-bad`,
        JSON.stringify(ticketRow(`${prefix}-bad`)),
      ]);
      const before = callCounts();
      const retry = await harness.backfill.retryFailures(jobId);
      expect(retry).toMatchObject({ jobId: `${jobId}-retry-1`, requests: 1, existing: false });
      const retried = await harness.backfill.result(retry.jobId);
      expect(retried.counters).toMatchObject({ done: 1, accepted: 1, failed: 0 });
      expect(callCounts().cheap - before.cheap).toBe(1);
      const fixed = await database.query<{ status: string; outcome: string }>(
        `SELECT status, outcome FROM ${table} WHERE request_id = $1`,
        [`${prefix}-bad`],
      );
      expect(fixed.rows[0]).toEqual({ status: 'done', outcome: 'accepted' });
    } finally {
      await database.query(`DROP TABLE IF EXISTS ${table}`);
      await database.end();
    }
  });

  it('loses nothing and repeats nothing when the worker stops in the middle of a job', async () => {
    const prefix = randomUUID().slice(0, 8);
    const source = parseSourceArgument(
      writeJsonl(
        `${prefix}.jsonl`,
        Array.from({ length: 30 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-${index}`, 'CHEAP-SLOW'))),
      ),
    );
    const jobId = jobName('restart');
    const before = callCounts();
    await harness.backfill.start({ jobId, source, route: 'tickets', concurrency: 4, continueAsNewAfter: 12 });
    await waitFor(async () => (await harness.backfill.progress(jobId)).counters.done >= 8);
    await harness.stopWorker();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await harness.startWorker();

    const summary = await harness.backfill.result(jobId);
    expect(summary.counters).toMatchObject({ read: 30, done: 30, accepted: 30, failed: 0 });
    expect(callCounts().cheap - before.cheap).toBe(30);
  });

  it("runs from the command line: start detached, pause, status, resume, then a summary like the demo's", async () => {
    const prefix = randomUUID().slice(0, 8);
    const path = writeJsonl(`${prefix}.jsonl`, [
      ...Array.from({ length: 8 }, (_, index) =>
        JSON.stringify(ticketRow(`${prefix}-${index}`, index % 4 === 0 ? 'CHEAP-OFF-SCHEMA' : '')),
      ),
      '{not json',
    ]);
    const jobId = jobName('cli');
    const connection = ['--address', harness.address, '--task-queue', harness.taskQueue];

    const started = await cascade([
      'backfill',
      '--source',
      path,
      '--route',
      'tickets',
      '--job',
      jobId,
      '--concurrency',
      '2',
      '--paused',
      '--detach',
      '--json',
      ...connection,
    ]);
    expect(JSON.parse(started.stdout)).toEqual({ jobId, workflowId: `backfill-${jobId}`, existing: false });
    const paused = JSON.parse(
      (await cascade(['backfill', 'status', jobId, '--json', ...connection])).stdout,
    ) as BackfillProgress;
    expect(paused).toMatchObject({ jobId, status: 'paused', total: 9, counters: { started: 0 } });

    // The same command joins the paused job and follows it; once it has joined, `resume` lets the job run.
    const following = cascadeFollowing(
      ['backfill', '--source', path, '--route', 'tickets', '--job', jobId, ...connection],
      `joined the running job ${jobId}`,
    );
    await following.reached;
    expect(JSON.parse((await cascade(['backfill', 'resume', jobId, '--json', ...connection])).stdout)).toMatchObject({
      status: 'running',
    });
    const followed = await following.ended;
    expect(followed.stdout).toContain(`Back-fill ${jobId} · completed · route tickets`);
    expect(followed.stdout).toMatch(/requests\s+9\n/);
    expect(followed.stdout).toMatch(/escalated to the flagship\s+2 \(22\.2%\)/);
    expect(followed.stdout).toMatch(/schema_invalid\s+2/);
    expect(followed.stdout).toMatch(/latency accepted p50 \/ p95\s+\d+ ms \/ \d+ ms/);
    expect(followed.stdout).toContain(`Failed requests (retry them with: cascade backfill retry ${jobId}):`);
    expect(followed.stdout).toContain('line 9  InvalidCascadeRequest');

    const missing = await cascade(['backfill', 'status', `missing-${prefix}`, ...connection]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('BackfillJobNotFound') });
    const badSource = await cascade([
      'backfill',
      '--source',
      join(directory, 'nope.jsonl'),
      '--route',
      'tickets',
      ...connection,
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(badSource).toMatchObject({ code: 2, stderr: expect.stringContaining('nope.jsonl') });
  });

  it('fails a job whose source disappears, and says why where the job is asked about', async () => {
    const prefix = randomUUID().slice(0, 8);
    const path = writeJsonl(
      `${prefix}.jsonl`,
      Array.from({ length: 5 }, (_, index) => JSON.stringify(ticketRow(`${prefix}-${index}`))),
    );
    const jobId = jobName('vanished');
    await harness.backfill.start({
      jobId,
      source: parseSourceArgument(path),
      route: 'tickets',
      concurrency: 1,
      pageSize: 1,
      startPaused: true,
    });
    await waitFor(async () => (await harness.backfill.progress(jobId)).counters.read === 1);
    rmSync(path);
    await harness.backfill.resume(jobId);
    // Waiting for the job names the root cause, as `cascade backfill` prints it, and so does `status`.
    await expect(harness.backfill.result(jobId)).rejects.toMatchObject({
      type: 'BackfillJobFailed',
      message: expect.stringContaining(`BackfillSourceNotFound: ${path} does not exist`),
    });
    await expect(harness.backfill.progress(jobId)).rejects.toMatchObject({
      type: 'BackfillJobFailed',
      message: expect.stringContaining(`BackfillSourceNotFound: ${path} does not exist`),
    });
  });

  it('refuses a job it cannot run, naming the problem', async () => {
    await expect(
      harness.backfill.start({
        jobId: 'bad name!',
        source: { kind: 'jsonl', path: '/x.jsonl' },
        route: 'tickets',
        concurrency: 1,
      }),
    ).rejects.toMatchObject({
      type: 'InvalidCascadeRequest',
      message: expect.stringContaining('jobId'),
    });
    await expect(
      harness.backfill.start({
        jobId: 'fine',
        source: { kind: 'jsonl', path: '/x.jsonl' },
        route: 'no-such-route',
        concurrency: 1,
      }),
    ).rejects.toMatchObject({
      type: 'UnknownRoute',
    });
    await expect(harness.backfill.progress(`missing-${randomUUID()}`)).rejects.toMatchObject({
      type: 'BackfillJobNotFound',
    });
  });
});

const run = promisify(execFile);
const cliPath = join(__dirname, '..', '..', 'bin', 'cascade.js');

/** A command line that keeps running: `reached` resolves once its stderr shows `marker`. */
function cascadeFollowing(
  args: string[],
  marker: string,
): { reached: Promise<void>; ended: Promise<{ stdout: string; stderr: string; code: number | null }> } {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, LOG_LEVEL: 'error' } });
  let stdout = '';
  let stderr = '';
  let markReached: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (markReached = resolve));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes(marker)) markReached();
  });
  const ended = new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve) =>
    child.once('close', (code) => resolve({ stdout, stderr, code })),
  );
  return {
    reached: Promise.race([
      reached,
      ended.then(() => Promise.reject(new Error(`the command ended before printing ${marker}: ${stderr}`))),
    ]),
    ended,
  };
}

/** The command line, as a user runs it. */
function cascade(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [cliPath, ...args], { env: { ...process.env, LOG_LEVEL: 'error' }, timeout: 60_000 });
}

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
