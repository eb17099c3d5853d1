/**
 * How many cascades per second one worker sustains against the local model server, with zero and with
 * realistic model latencies, at several numbers of cascades in flight; and where one cascade's time goes.
 * Starts its own dev server (free ports, temporary SQLite), model server, worker and client, and stops
 * them at the end. A benchmark, not a test: nothing here asserts a figure.
 *
 *   npx tsx scripts/benchmark-throughput.ts [--requests 150] [--concurrency 8,32,128] [--latency zero|realistic|both] [--json]
 */
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { cascadeTimeline, type CascadeTimeline } from '../bench/throughput/history-timeline';
import { latencyProfiles, type LatencyProfile } from '../bench/throughput/throughput-models';
import { runThroughputSetting, type ThroughputResult } from '../bench/throughput/throughput-run';
import { startThroughputStack, workerConcurrency } from '../bench/throughput/throughput-stack';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError(`must be a positive integer, got "${value}"`);
  return parsed;
}

function concurrencyList(value: string): number[] {
  return value.split(',').map((part) => positiveInteger(part.trim()));
}

function latencyChoice(value: string): LatencyProfile[] {
  if (value === 'both') return [...latencyProfiles];
  if ((latencyProfiles as readonly string[]).includes(value)) return [value as LatencyProfile];
  throw new InvalidArgumentError(`must be zero, realistic or both, got "${value}"`);
}

async function main(): Promise<void> {
  const options = new Command('benchmark-throughput')
    .option('--requests <count>', 'cascades per setting (kept small so the defaults finish in about 2 minutes on 2 cores)', positiveInteger, 150)
    .option('--concurrency <list>', 'cascades in flight, comma-separated', concurrencyList, [8, 32, 128])
    .option('--latency <profile>', 'zero, realistic or both', latencyChoice, [...latencyProfiles])
    .option('--json', 'print one JSON object instead of tables', false)
    .parse(process.argv)
    .opts<{ requests: number; concurrency: number[]; latency: LatencyProfile[]; json: boolean }>();

  const say = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const runId = `throughput-${randomBytes(4).toString('hex')}`;
  say('starting dev server, model server and worker…');
  const setupStartedAt = performance.now();
  const stack = await startThroughputStack();
  try {
    say(`ready in ${((performance.now() - setupStartedAt) / 1000).toFixed(1)} s (dev server ${stack.address}, pid ${stack.devServerPid ?? 'not found'})`);
    // One untimed cascade per profile, so the workflow bundle, connections and caches are warm.
    for (const latency of options.latency) {
      await stack.client.run({ requestId: `${runId}-warmup-${latency}`, route: latency, messages: [{ role: 'user', content: 'warm up' }] });
    }
    const results: ThroughputResult[] = [];
    for (const latency of options.latency) {
      for (const concurrency of options.concurrency) {
        say(`running ${latency} latency, ${concurrency} in flight, ${options.requests} cascades…`);
        results.push(
          await runThroughputSetting({ setting: { latency, concurrency, requests: options.requests }, client: stack.client, modelServer: stack.modelServer, devServerPid: stack.devServerPid, runId }),
        );
      }
    }
    const timelines: CascadeTimeline[] = [];
    for (const latency of options.latency) {
      // The lowest concurrency shows a cascade with the least queueing.
      const sample = results.find((result) => result.latency === latency && result.sampleWorkflowId !== undefined);
      if (!sample?.sampleWorkflowId) continue;
      const history = await stack.client.temporal.workflow.getHandle(sample.sampleWorkflowId).fetchHistory();
      timelines.push(cascadeTimeline(sample.sampleWorkflowId, history.events ?? []));
    }
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ worker: workerConcurrency, cores: (await import('node:os')).cpus().length, results, timelines }, null, 2)}\n`);
    } else {
      process.stdout.write(`${renderReport(results, timelines)}\n`);
    }
  } finally {
    say('stopping…');
    await stack.stop();
  }
}

function renderReport(results: ThroughputResult[], timelines: CascadeTimeline[]): string {
  const lines: string[] = [];
  lines.push(`Worker: ${Object.entries(workerConcurrency).map(([name, value]) => `${name}=${value}`).join(', ')}`);
  lines.push('Benchmark process CPU = client + worker + model server (one Node process); "cores" = CPU time / wall time.');
  lines.push('');
  const header = ['latency', 'in flight', 'cascades', 'wall s', 'cascades/s', 'p50 ms', 'p95 ms', 'p99 ms', 'escalated', 'failed', 'bench cores', 'server cores'];
  const rows = results.map((result) => [
    result.latency,
    String(result.concurrency),
    String(result.requests),
    result.wallSeconds.toFixed(1),
    result.cascadesPerSecond.toFixed(1),
    result.latencyMs.p50.toFixed(0),
    result.latencyMs.p95.toFixed(0),
    result.latencyMs.p99.toFixed(0),
    String(result.escalations),
    String(result.failures),
    result.benchmarkProcessCores.toFixed(2),
    result.devServerCores === undefined ? 'n/a' : result.devServerCores.toFixed(2),
  ]);
  lines.push(...renderTable(header, rows));
  for (const result of results) if (result.firstFailure) lines.push(`  ${result.latency}/${result.concurrency} first failure: ${result.firstFailure}`);
  for (const timeline of timelines) {
    const breakdown = timeline.breakdown;
    lines.push('', `One cascade: ${timeline.workflowId} (${breakdown.totalMs.toFixed(0)} ms first to last event)`);
    lines.push(
      ...renderTable(
        ['event', '+ms', 'Δms', 'type', 'detail'],
        timeline.events.map((event) => [String(event.eventId), event.atMs.toFixed(1), event.sincePreviousMs.toFixed(1), event.type, event.detail ?? '']),
      ),
    );
    lines.push(
      `  workflow tasks: ${breakdown.workflowTasks}, scheduled→started ${breakdown.workflowTaskScheduledToStartedMs.toFixed(1)} ms, started→completed ${breakdown.workflowTaskStartedToCompletedMs.toFixed(1)} ms (local activities ${breakdown.localActivities.join(', ') || 'none'} run inside them)`,
      `  activities: ${breakdown.activities}, scheduled→started ${breakdown.activityScheduledToStartedMs.toFixed(1)} ms, started→completed ${breakdown.activityStartedToCompletedMs.toFixed(1)} ms (model calls)`,
    );
  }
  return lines.join('\n');
}

function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (row: string[]) => row.map((cell, column) => (['latency', 'type', 'detail'].includes(header[column]!) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)];
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
