/**
 * How many cascades per second one worker sustains against the local model server, with zero and with
 * realistic model latencies, at several numbers of cascades in flight; and where the time goes. Two
 * modes: a client that starts cascades itself, and a back-fill job that drains a JSONL file through
 * child cascades. Starts its own dev server (free ports, temporary SQLite), model server, worker and
 * client, and stops them at the end. A benchmark, not a test: nothing here asserts a figure.
 *
 *   npx tsx scripts/benchmark-throughput.ts [--mode client|backfill|both] [--requests 150] [--concurrency 8,32,128]
 *     [--latency zero|realistic|both] [--page-size <count>] [--continue-as-new-after <count>] [--json]
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { parsePositiveInteger } from '../cli/option-parsers';
import { runBackfillSetting, type BackfillThroughputResult } from '../bench/throughput/backfill-run';
import { cascadeTimeline, type CascadeTimeline } from '../bench/throughput/history-timeline';
import { renderReport } from '../bench/throughput/throughput-report';
import { latencyProfiles, type LatencyProfile } from '../bench/throughput/throughput-models';
import { runThroughputSetting, type ThroughputResult } from '../bench/throughput/throughput-run';
import { startThroughputStack, workerConcurrency } from '../bench/throughput/throughput-stack';

const benchmarkModes = ['client', 'backfill'] as const;
type BenchmarkMode = (typeof benchmarkModes)[number];

function concurrencyList(value: string): number[] {
  return value.split(',').map((part) => parsePositiveInteger(part.trim()));
}

function latencyChoice(value: string): LatencyProfile[] {
  if (value === 'both') return [...latencyProfiles];
  if ((latencyProfiles as readonly string[]).includes(value)) return [value as LatencyProfile];
  throw new InvalidArgumentError(`must be zero, realistic or both, got "${value}"`);
}

function modeChoice(value: string): BenchmarkMode[] {
  if (value === 'both') return [...benchmarkModes];
  if ((benchmarkModes as readonly string[]).includes(value)) return [value as BenchmarkMode];
  throw new InvalidArgumentError(`must be client, backfill or both, got "${value}"`);
}

async function main(): Promise<void> {
  const options = new Command('benchmark-throughput')
    .option(
      '--mode <mode>',
      'client (the client starts cascades), backfill (a back-fill job does) or both',
      modeChoice,
      [...benchmarkModes],
    )
    .option(
      '--requests <count>',
      'cascades per setting (kept small so the defaults finish in about 3 minutes on 2 idle cores)',
      parsePositiveInteger,
      150,
    )
    .option('--concurrency <list>', 'cascades in flight, comma-separated', concurrencyList, [8, 32, 128])
    .option('--latency <profile>', 'zero, realistic or both', latencyChoice, [...latencyProfiles])
    .option(
      '--page-size <count>',
      "requests a back-fill job reads per page (default: the job's, 100)",
      parsePositiveInteger,
    )
    .option(
      '--continue-as-new-after <count>',
      "cascades a back-fill run starts before it continues as new, at the end of a page (default: the job's, 500)",
      parsePositiveInteger,
    )
    .option('--json', 'print one JSON object instead of tables', false)
    .parse(process.argv)
    .opts<{
      mode: BenchmarkMode[];
      requests: number;
      concurrency: number[];
      latency: LatencyProfile[];
      pageSize?: number;
      continueAsNewAfter?: number;
      json: boolean;
    }>();

  const say = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };
  const runId = `throughput-${randomBytes(4).toString('hex')}`;
  say('starting dev server, model server and worker…');
  const setupStartedAt = performance.now();
  const stack = await startThroughputStack();
  try {
    say(
      `ready in ${((performance.now() - setupStartedAt) / 1000).toFixed(1)} s (dev server ${stack.address}, pid ${stack.devServerPid ?? 'not found'})`,
    );
    // One untimed cascade per profile, so the workflow bundle, connections and caches are warm.
    for (const latency of options.latency) {
      await stack.client.run({
        requestId: `${runId}-warmup-${latency}`,
        route: latency,
        messages: [{ role: 'user', content: 'warm up' }],
      });
    }
    const client: ThroughputResult[] = [];
    const backfill: BackfillThroughputResult[] = [];
    for (const mode of options.mode) {
      for (const latency of options.latency) {
        for (const concurrency of options.concurrency) {
          const setting = { latency, concurrency, requests: options.requests };
          say(`running ${mode} mode, ${latency} latency, ${concurrency} in flight, ${options.requests} cascades…`);
          // Both modes send the same request ids, so the cheap model fails the same prompts in each.
          const measured = { modelServer: stack.modelServer, devServerPid: stack.devServerPid, runId };
          if (mode === 'client') {
            client.push(await runThroughputSetting({ setting, client: stack.client, ...measured }));
          } else {
            backfill.push(
              await runBackfillSetting({
                setting,
                backfill: stack.backfill,
                ...measured,
                job: { pageSize: options.pageSize, continueAsNewAfter: options.continueAsNewAfter },
              }),
            );
          }
        }
      }
    }
    const timelines: CascadeTimeline[] = [];
    for (const latency of options.latency) {
      // The lowest concurrency shows a cascade with the least queueing.
      const sample = client.find((result) => result.latency === latency && result.sampleWorkflowId !== undefined);
      if (!sample?.sampleWorkflowId) continue;
      const history = await stack.client.temporal.workflow.getHandle(sample.sampleWorkflowId).fetchHistory();
      timelines.push(cascadeTimeline(sample.sampleWorkflowId, history.events ?? []));
    }
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ worker: workerConcurrency, cores: cpus().length, client, backfill, timelines }, null, 2)}\n`,
      );
    } else {
      process.stdout.write(`${renderReport({ client, backfill, timelines })}\n`);
    }
  } finally {
    say('stopping…');
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
