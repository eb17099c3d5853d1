/**
 * The workflow side of a cascade's cost, without a server: committed histories (test/fixtures/histories)
 * replayed many times on one replay worker, with the CPU this process spent per replay. Each replay
 * creates the workflow in the worker's reusable V8 context, evaluates the workflow modules (zod and the
 * request, policy and gate schemas among them) and runs the workflow to its end, as a live worker does
 * for every new cascade. Each history replays on two bundles side by side: the workers' own, which
 * loads zod and the contracts once per thread and shares them (`workers/workflow-bundle-options.ts`),
 * and one that evaluates them again for every workflow. The first round warms up and is not counted. For a profile of where that time
 * goes: `node --cpu-prof --import tsx scripts/benchmark-workflow-cpu.ts`. A benchmark, not a test:
 * nothing here asserts a figure.
 *
 *   npx tsx scripts/benchmark-workflow-cpu.ts [--fixtures cascade-v3-accepted.json,...] [--replays 100] [--rounds 4] [--json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Command, InvalidArgumentError } from 'commander';
import { parsePositiveInteger } from '../cli/option-parsers';
import { bundleWorkflowsQuietly } from '../bench/quiet-workflow-bundle';
import { percentiles } from '../bench/throughput/percentiles';
import { measureReplayCpu, type ReplayCpuMeasurement } from '../bench/workflow-cpu/replay-cpu';
import { installRuntime } from '../workers/install-runtime';
import { workflowBundleOptions } from '../workers/workflow-bundle-options';
import { createLogger } from '../workers/pino-logger';

const fixtureDirectory = join(__dirname, '..', 'test', 'fixtures', 'histories');

function roundCount(value: string): number {
  const parsed = parsePositiveInteger(value);
  if (parsed < 2) throw new InvalidArgumentError(`must be at least 2 (the first round is a warm-up), got "${value}"`);
  return parsed;
}

function fixtureList(value: string): string[] {
  return value.split(',').map((name) => name.trim());
}

async function main(): Promise<void> {
  const options = new Command('benchmark-workflow-cpu')
    .option('--fixtures <names>', 'history files in test/fixtures/histories', fixtureList, ['cascade-v3-accepted.json'])
    .option('--replays <count>', 'replays of each history per round', parsePositiveInteger, 100)
    .option('--rounds <count>', 'rounds, the first a warm-up', roundCount, 4)
    .option('--json', 'print one JSON object instead of a table', false)
    .parse(process.argv)
    .opts<{ fixtures: string[]; replays: number; rounds: number; json: boolean }>();

  installRuntime(createLogger({ level: process.env.LOG_LEVEL ?? 'warn' }));
  const bundles = [
    { name: 'shared modules', code: await bundleWorkflowsQuietly(workflowBundleOptions) },
    {
      name: 'modules per workflow',
      code: await bundleWorkflowsQuietly({ workflowsPath: workflowBundleOptions.workflowsPath }),
    },
  ];
  const histories = options.fixtures.map((name) => ({
    name,
    history: historyFromJSON(JSON.parse(readFileSync(join(fixtureDirectory, name), 'utf8'))),
  }));

  const rounds: Array<{ round: number; bundle: string; fixture: string } & ReplayCpuMeasurement> = [];
  for (let round = 1; round <= options.rounds; round++) {
    for (const bundle of bundles) {
      for (const { name, history } of histories) {
        const measured = await measureReplayCpu({
          workflowBundle: { code: bundle.code },
          history,
          replays: options.replays,
          label: `r${round}-${bundle.name}-${name}`,
        });
        rounds.push({ round, bundle: bundle.name, fixture: name, ...measured });
        if (!options.json)
          process.stderr.write(
            `round ${round} ${bundle.name}, ${name}: ${measured.cpuMsPerReplay.toFixed(1)} ms CPU per replay${round === 1 ? ' (warm-up)' : ''}\n`,
          );
      }
    }
  }
  const summary = bundles.flatMap((bundle) =>
    histories.map(({ name }) => {
      const rows = rounds.filter((row) => row.bundle === bundle.name && row.fixture === name);
      const counted = rows.filter((row) => row.round > 1);
      return {
        bundle: bundle.name,
        fixture: name,
        cpuMsPerReplay: percentiles(counted.map((row) => row.cpuMsPerReplay)).p50,
        wallMsPerReplay: percentiles(counted.map((row) => row.wallMsPerReplay)).p50,
        failures: rows.reduce((sum, row) => sum + row.failures, 0),
        firstFailure: rows.find((row) => row.firstFailure)?.firstFailure,
      };
    }),
  );
  if (options.json) {
    const bundleBytes = Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle.code.length]));
    process.stdout.write(`${JSON.stringify({ bundleBytes, rounds, summary }, null, 2)}\n`);
    return;
  }
  const lines = [
    `Workflow bundle ${(bundles[0]!.code.length / 1024).toFixed(0)} KiB; ${options.replays} replays per round, median of ${options.rounds - 1} rounds:`,
    ...summary.map(
      (row) =>
        `  ${row.bundle.padEnd(22)} ${row.fixture.padEnd(44)} ${row.cpuMsPerReplay.toFixed(1).padStart(6)} ms CPU, ${row.wallMsPerReplay.toFixed(1).padStart(6)} ms wall per replay` +
        (row.failures > 0 ? `   ${row.failures} failed: ${row.firstFailure}` : ''),
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
