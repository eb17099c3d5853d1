/**
 * `cascade serve` under load: the same number of cascades started at once by the TypeScript client and
 * sent at once as HTTP requests to the OpenAI-compatible API (its own process), with zero and with
 * realistic model latencies. Reports requests per second, the latency each way, and what the API adds at
 * p50/p95/p99: each request's latency less its workflow's own run (start to close, as the server recorded
 * it), through the API less through the client, the serving process's memory, and whether every request got exactly one answer
 * (one 200 each, one workflow each, one cheap call each). Starts its own dev server (free ports, temporary
 * SQLite), model server and worker, and stops them at the end. A benchmark, not a test: it asserts no figure.
 *
 *   npx tsx scripts/benchmark-serve.ts [--requests 1000] [--latency zero|realistic|both] [--json]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import pMap from 'p-map';
import { parsePositiveInteger } from '../cli/option-parsers';
import { percentiles, type Percentiles } from '../bench/throughput/percentiles';
import { processCpuMs } from '../bench/throughput/process-cpu';
import { startServeProcess, type ServeProcess } from '../bench/serve-load/serve-process';
import { latencyProfiles, throughputRoutesYaml, type LatencyProfile } from '../bench/throughput/throughput-models';
import { startThroughputStack, type ThroughputStack } from '../bench/throughput/throughput-stack';
import { pickFreePort } from '../http/free-port';

interface SideResult {
  wallSeconds: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  /** Each request's latency less its workflow's own run (start to close, as the server recorded them). */
  overheadMs: Percentiles;
  answered: number;
  failed: number;
  firstFailure?: string;
}

interface ProfileResult {
  latency: LatencyProfile;
  requests: number;
  client: SideResult;
  api: SideResult & {
    /** Distinct workflows the answers name: one per request when every request got exactly one answer. */
    distinctWorkflows: number;
    /** Calls the cheap model received during the API run: one per request. */
    cheapCalls: number;
    memoryMiB: { residentAfter: number | undefined; peakSampled: number | undefined };
    /** CPU the serving process used during the run, per request (user + system). */
    cpuMsPerRequest: number | undefined;
  };
  /** The API's overhead over the workflow's run minus the client's, at each percentile. */
  addedLatencyMs: { p50: number; p95: number; p99: number };
  everyRequestAnsweredOnce: boolean;
}

function latencyChoice(value: string): LatencyProfile[] {
  if (value === 'both') return [...latencyProfiles];
  if ((latencyProfiles as readonly string[]).includes(value)) return [value as LatencyProfile];
  throw new InvalidArgumentError(`must be zero, realistic or both, got "${value}"`);
}

const messageOf = (index: number) => `Ticket ${index}: I was charged twice for order ${1000 + index}.`;

async function runClientSide(stack: ThroughputStack, profile: LatencyProfile, count: number, runId: string) {
  const latencies: Timed[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_unused, index) => {
      const start = performance.now();
      try {
        const result = await stack.client.run({
          requestId: `bench-client-${runId}-${profile}-${index}`,
          route: profile,
          messages: [{ role: 'user', content: messageOf(index) }],
        });
        latencies.push({ workflowId: result.workflowId, latencyMs: performance.now() - start });
      } catch (error) {
        failed += 1;
        firstFailure ??= (error as Error).message;
      }
    }),
  );
  const wallSeconds = (performance.now() - began) / 1000;
  return side({ stack, latencies, failed, wallSeconds, firstFailure });
}

async function runApiSide(options: {
  stack: ThroughputStack;
  serve: ServeProcess;
  profile: LatencyProfile;
  count: number;
  runId: string;
}) {
  const { serve, profile, count } = options;
  const latencies: Timed[] = [];
  const workflows = new Set<string>();
  let failed = 0;
  let firstFailure: string | undefined;
  let peakSampled: number | undefined;
  const sampler = setInterval(() => {
    const resident = serve.memoryMiB().residentMiB;
    if (resident !== undefined) peakSampled = Math.max(peakSampled ?? 0, resident);
  }, 200);
  const cheapBefore = options.stack.modelServer.callCounts().byModel[`cheap-${profile}`] ?? 0;
  const cpuBefore = processCpuMs(serve.pid);
  const began = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_unused, index) => {
      const start = performance.now();
      try {
        const response = await fetch(`${serve.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `bench-api-${options.runId}-${index}` },
          body: JSON.stringify({ model: profile, messages: [{ role: 'user', content: messageOf(index) }] }),
        });
        const body = (await response.json()) as { cascade?: { workflowId: string }; error?: { message: string } };
        if (response.status !== 200 || !body.cascade)
          throw new Error(`HTTP ${response.status}: ${body.error?.message}`);
        latencies.push({ workflowId: body.cascade.workflowId, latencyMs: performance.now() - start });
        workflows.add(body.cascade.workflowId);
      } catch (error) {
        failed += 1;
        firstFailure ??= (error as Error).message;
      }
    }),
  );
  const wallSeconds = (performance.now() - began) / 1000;
  const cpuAfter = processCpuMs(serve.pid);
  clearInterval(sampler);
  const cheapCalls = (options.stack.modelServer.callCounts().byModel[`cheap-${profile}`] ?? 0) - cheapBefore;
  return {
    ...(await side({ stack: options.stack, latencies, failed, wallSeconds, firstFailure })),
    distinctWorkflows: workflows.size,
    cheapCalls,
    memoryMiB: { residentAfter: serve.memoryMiB().residentMiB, peakSampled },
    cpuMsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / count,
  };
}

interface Timed {
  workflowId: string;
  latencyMs: number;
}

async function side(options: {
  stack: ThroughputStack;
  latencies: Timed[];
  failed: number;
  wallSeconds: number;
  firstFailure: string | undefined;
}): Promise<SideResult> {
  const { latencies, failed, wallSeconds, firstFailure } = options;
  const overheads = await pMap(
    latencies,
    async (entry) => {
      const description = await options.stack.client.temporal.workflow.getHandle(entry.workflowId).describe();
      const runMs = description.closeTime!.getTime() - description.startTime.getTime();
      return entry.latencyMs - runMs;
    },
    { concurrency: 32 },
  );
  return {
    wallSeconds,
    requestsPerSecond: latencies.length / wallSeconds,
    latencyMs: percentiles(latencies.map((entry) => entry.latencyMs)),
    overheadMs: percentiles(overheads),
    answered: latencies.length,
    failed,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

function render(results: ProfileResult[]): string {
  const round = (value: number | undefined, digits = 0) => (value === undefined ? '-' : value.toFixed(digits));
  const lines = [
    '| latency | requests | side | req/s | p50 ms | p95 ms | p99 ms | overhead p50 | p95 | p99 | answered | failed |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    for (const [name, entry] of [
      ['client', result.client],
      ['API', result.api],
    ] as const) {
      lines.push(
        `| ${result.latency} | ${result.requests} | ${name} | ${round(entry.requestsPerSecond, 1)} | ${round(entry.latencyMs.p50)} | ${round(entry.latencyMs.p95)} | ${round(entry.latencyMs.p99)} | ${round(entry.overheadMs.p50)} | ${round(entry.overheadMs.p95)} | ${round(entry.overheadMs.p99)} | ${entry.answered} | ${entry.failed} |`,
      );
    }
  }
  lines.push('');
  for (const result of results) {
    lines.push(
      `${result.latency}: API adds p50 ${round(result.addedLatencyMs.p50)} ms, p95 ${round(result.addedLatencyMs.p95)} ms, p99 ${round(result.addedLatencyMs.p99)} ms; serving process ${round(result.api.memoryMiB.peakSampled)} MiB resident at peak (${round(result.api.memoryMiB.residentAfter)} MiB after), ${round(result.api.cpuMsPerRequest, 1)} ms of its CPU per request; ${result.api.distinctWorkflows} workflows and ${result.api.cheapCalls} cheap calls for ${result.requests} requests: ${result.everyRequestAnsweredOnce ? 'every request answered exactly once' : 'NOT every request answered exactly once'}${result.api.firstFailure ? ` (first failure: ${result.api.firstFailure})` : ''}`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const options = new Command('benchmark-serve')
    .option('--requests <count>', 'requests held open at once, each way', parsePositiveInteger, 1000)
    .option('--latency <profile>', 'zero, realistic or both', latencyChoice, [...latencyProfiles])
    .option('--json', 'print one JSON object instead of a table', false)
    .parse(process.argv)
    .opts<{ requests: number; latency: LatencyProfile[]; json: boolean }>();
  const say = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };

  say('starting a dev server, the model server and a worker...');
  const stack = await startThroughputStack();
  const directory = mkdtempSync(join(tmpdir(), 'cascade-serve-bench-'));
  let serve: ServeProcess | undefined;
  try {
    const modelServerUrl = stack.modelServerUrl;
    const configPath = join(directory, 'routes.yaml');
    writeFileSync(
      configPath,
      `${throughputRoutesYaml({ modelServerUrl, apiKeyVariable: 'UNUSED_BY_SERVE' })}api:\n  requestTimeout: 15m\n`,
    );
    serve = await startServeProcess({
      configPath,
      address: stack.address,
      port: await pickFreePort(),
      taskQueue: 'cascade',
    });
    say(
      `cascade serve at ${serve.baseUrl} (pid ${serve.pid}, ${serve.memoryMiB().residentMiB?.toFixed(0)} MiB at rest)`,
    );
    const runId = randomBytes(4).toString('hex');
    // Both paths run a few cascades first, so neither pays for the first workflow tasks and connections.
    say('warming up...');
    await runClientSide(stack, 'zero', 20, `${runId}-warm`);
    await runApiSide({ stack, serve, profile: 'zero', count: 20, runId: `${runId}-warm` });
    const results: ProfileResult[] = [];
    for (const profile of options.latency) {
      say(`${profile} latency: ${options.requests} cascades from the client at once...`);
      const client = await runClientSide(stack, profile, options.requests, runId);
      say(`${profile} latency: ${options.requests} requests to the API at once...`);
      const api = await runApiSide({ stack, serve, profile, count: options.requests, runId: `${runId}-${profile}` });
      results.push({
        latency: profile,
        requests: options.requests,
        client,
        api,
        addedLatencyMs: {
          p50: api.overheadMs.p50 - client.overheadMs.p50,
          p95: api.overheadMs.p95 - client.overheadMs.p95,
          p99: api.overheadMs.p99 - client.overheadMs.p99,
        },
        everyRequestAnsweredOnce:
          api.answered === options.requests &&
          api.distinctWorkflows === options.requests &&
          api.cheapCalls === options.requests,
      });
    }
    process.stdout.write(options.json ? `${JSON.stringify({ results }, null, 2)}\n` : `${render(results)}\n`);
  } finally {
    await serve?.stop();
    await stack.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
