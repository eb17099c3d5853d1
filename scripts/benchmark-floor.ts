/**
 * The cascade against Temporal's own floor, on the same dev server in the same run: a workflow with one
 * no-op activity, and an accepted cascade on a zero-latency scripted model. Each kind runs at
 * `--concurrency` in flight (workflows per second) and then one at a time (start-to-result p50). The
 * whole comparison runs on a dev server with SQLite's rollback journal and on one with write-ahead
 * logging, alternated for `--rounds` rounds, each server on a fresh SQLite file. Each kind's CPU per
 * workflow (dev server and this process) is measured too: where the cores are shared, the cascade's
 * throughput against the floor follows the inverse of its CPU against the floor's. The last step, on
 * a WAL server, adds the cascade's ingredients to the floor one at a time, then runs the cascade, and
 * the cascade built with every module evaluated anew per workflow (no preloaded modules). A benchmark,
 * not a test: nothing here asserts a figure.
 *
 *   npx tsx scripts/benchmark-floor.ts [--workflows 200] [--concurrency 32] [--sequential 30] [--rounds 2]
 *     [--no-decompose] [--json]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parsePositiveInteger } from '../cli/option-parsers';
import { mean } from 'simple-statistics';
import { parseConfig } from '../config/load-config';
import { defaultSqlitePragmas } from '../local-stack/dev-server/dev-server';
import { findOrBuildTemporalBinary } from '../local-stack/dev-server/temporal-binary';
import { createModelServer } from '../local-stack/model-server/model-server';
import type { ScriptedModelSpec } from '../local-stack/model-server/scripted-model-spec';
import { installRuntime } from '../workers/install-runtime';
import { createLogger } from '../workers/pino-logger';
import {
  measureWorkflows,
  type CpuPerWorkflow,
  type CpuReading,
  type FloorMeasurement,
} from '../bench/floor/floor-run';
import { bundleWorkflowsQuietly } from '../bench/quiet-workflow-bundle';
import { workflowBundleOptions } from '../workers/workflow-bundle-options';
import { startFloorStack, type FloorStack } from '../bench/floor/floor-stack';
import type { FloorWorkflowOptions } from '../bench/floor/floor-workflow';
import { cascadeTimeline, type TimelineBreakdown } from '../bench/throughput/history-timeline';
import { renderConsoleTable } from '../operations/reporting/console-table';
import { throughputRoutesYaml } from '../bench/throughput/throughput-models';
import { ownCpuMs, processCpuMs } from '../bench/throughput/process-cpu';

const journals = { rollback: {}, wal: { ...defaultSqlitePragmas } } as const;
type Journal = keyof typeof journals;

interface ServerRun {
  journal: Journal;
  round: number;
  floor: FloorMeasurement;
  cascade: FloorMeasurement;
  devServerCores: number | undefined;
  benchmarkProcessCores: number;
}

/** Both tiers answer at once, the cheap one always passes the gate: every cascade is accepted at the cheap tier. */
const acceptedModels: ScriptedModelSpec[] = ['zero', 'realistic'].flatMap((profile) => [
  { id: `cheap-${profile}`, latencyMs: 0, default: { text: '{"category": "billing"}' } },
  { id: `flagship-${profile}`, latencyMs: 0, default: { text: '{"category": "account"}' } },
]);

async function main(): Promise<void> {
  const options = new Command('benchmark-floor')
    .option(
      '--workflows <count>',
      'workflows of each kind at --concurrency in flight, per server',
      parsePositiveInteger,
      200,
    )
    .option('--concurrency <count>', 'workflows in flight', parsePositiveInteger, 32)
    .option('--sequential <count>', 'workflows of each kind run one at a time, per server', parsePositiveInteger, 30)
    .option('--rounds <count>', 'rounds of (rollback journal, WAL) servers', parsePositiveInteger, 2)
    .option('--no-decompose', 'skip the last step: the floor plus one cascade ingredient at a time, on a WAL server')
    .option('--json', 'print one JSON object instead of tables', false)
    .parse(process.argv)
    .opts<{
      workflows: number;
      concurrency: number;
      sequential: number;
      rounds: number;
      decompose: boolean;
      json: boolean;
    }>();
  const say = (line: string) => {
    if (!options.json) process.stderr.write(`${line}\n`);
  };

  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  installRuntime(logger);
  const directory = mkdtempSync(join(tmpdir(), 'cascade-floor-'));
  const apiKey = randomBytes(16).toString('hex');
  const modelServer = createModelServer({ models: acceptedModels, apiKey, callLogLimit: 10 });
  try {
    const binaryPath = await findOrBuildTemporalBinary({ log: logger });
    const started = await modelServer.start({ port: 0 });
    const apiKeyVariable = 'CASCADE_FLOOR_MODEL_API_KEY';
    const routes = parseConfig(throughputRoutesYaml({ modelServerUrl: started.url, apiKeyVariable }), {
      source: 'floor benchmark routes',
    });
    say('bundling workflow code…');
    const floorBundleCode = await bundleWorkflowsQuietly({
      workflowsPath: require.resolve('../bench/floor/floor-workflow'),
    });
    const cascadeBundleCode = await bundleWorkflowsQuietly(workflowBundleOptions);
    // The decomposition's last row: the same cascade with every module evaluated anew for each workflow.
    const modulesPerWorkflowBundleCode = options.decompose
      ? await bundleWorkflowsQuietly({ workflowsPath: workflowBundleOptions.workflowsPath })
      : undefined;

    // Every server of the run alike but for its journal.
    const startStack = (sqlitePragmas: (typeof journals)[Journal], comparisonCascadeBundleCode?: string) =>
      startFloorStack({
        binaryPath,
        directory,
        sqlitePragmas,
        floorBundleCode,
        cascadeBundleCode,
        ...(comparisonCascadeBundleCode === undefined ? {} : { comparisonCascadeBundleCode }),
        routes,
        workerEnvironment: { [apiKeyVariable]: apiKey },
        logger,
      });
    const runs: ServerRun[] = [];
    let breakdown:
      | { floor: TimelineBreakdown & { historyBytes: number }; cascade: TimelineBreakdown & { historyBytes: number } }
      | undefined;
    for (let round = 1; round <= options.rounds; round++) {
      for (const journal of Object.keys(journals) as Journal[]) {
        say(`round ${round}, ${journal} journal: starting a dev server…`);
        const stack = await startStack(journals[journal]);
        try {
          runs.push(await measureServer({ stack, journal, round, options, say }));
          if (journal === 'wal' && breakdown === undefined)
            breakdown = await sampleBreakdown(stack, `r${round}-${journal}`);
        } finally {
          await stack.stop();
        }
      }
    }
    let decomposition: Decomposition | undefined;
    if (options.decompose) {
      say('decomposition, wal journal: starting a dev server…');
      const stack = await startStack(journals.wal, modulesPerWorkflowBundleCode);
      try {
        decomposition = await decompose({ stack, policy: routes.get('zero'), options, say });
      } finally {
        await stack.stop();
      }
    }
    const report = {
      cores: cpus().length,
      concurrency: options.concurrency,
      workflows: options.workflows,
      sequential: options.sequential,
      runs,
      summary: summarize(runs),
      breakdown,
      decomposition,
    };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderReport(report)}\n`);
  } finally {
    await modelServer.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measureServer(options: {
  stack: FloorStack;
  journal: Journal;
  round: number;
  options: { workflows: number; concurrency: number; sequential: number };
  say: (line: string) => void;
}): Promise<ServerRun> {
  const { stack, journal, round } = options;
  const prefix = `${randomBytes(3).toString('hex')}-r${round}-${journal}`;
  const runFloor = (label: string) => stack.runFloor(`floor-${prefix}-${label}`);
  const runCascade = async (label: string) => {
    const requestId = `${prefix}-${label}`;
    const result = await stack.cascades.run({
      requestId,
      route: 'zero',
      messages: [{ role: 'user', content: `Classify ticket ${requestId}: I was charged twice.` }],
    });
    if (result.outcome !== 'accepted') throw new Error(`cascade ${requestId} ended ${result.outcome}, not accepted`);
  };
  // Untimed: the first workflow of each kind loads the bundle and opens the connections.
  await runFloor('warmup');
  await runCascade('warmup');
  const counts = {
    workflows: options.options.workflows,
    concurrency: options.options.concurrency,
    sequential: options.options.sequential,
    readCpu: () => readCpu(stack),
  };
  const cpuBefore = readCpu(stack);
  const startedAt = performance.now();
  options.say(`  floor workflows…`);
  const floor = await measureWorkflows({ execute: runFloor, ...counts });
  options.say(
    `  ${floor.workflowsPerSecond.toFixed(1)}/s, p50 ${floor.sequentialLatencyMs.p50.toFixed(0)} ms; cascades…`,
  );
  const cascade = await measureWorkflows({ execute: runCascade, ...counts });
  options.say(`  ${cascade.workflowsPerSecond.toFixed(1)}/s, p50 ${cascade.sequentialLatencyMs.p50.toFixed(0)} ms`);
  const wallMs = performance.now() - startedAt;
  const cpuAfter = readCpu(stack);
  return {
    journal,
    round,
    floor,
    cascade,
    devServerCores:
      cpuBefore.devServerMs === undefined || cpuAfter.devServerMs === undefined
        ? undefined
        : (cpuAfter.devServerMs - cpuBefore.devServerMs) / wallMs,
    benchmarkProcessCores: (cpuAfter.benchmarkProcessMs - cpuBefore.benchmarkProcessMs) / wallMs,
  };
}

function readCpu(stack: FloorStack): CpuReading {
  return {
    devServerMs: stack.devServerPid === undefined ? undefined : processCpuMs(stack.devServerPid),
    benchmarkProcessMs: ownCpuMs(),
  };
}

type Decomposition = Array<{ variant: string } & FloorMeasurement>;

/** The floor with one ingredient of a cascade added at a time, then all of them, then the cascade itself. */
async function decompose(options: {
  stack: FloorStack;
  policy: unknown;
  options: { workflows: number; concurrency: number; sequential: number };
  say: (line: string) => void;
}): Promise<Decomposition> {
  const { stack } = options;
  const prefix = randomBytes(3).toString('hex');
  type Variant = [string, FloorWorkflowOptions | 'cascade' | 'cascade, modules per workflow'];
  const variants: Variant[] = [
    ['floor', {}],
    ['+ resolved policy in input', { padding: options.policy }],
    ['+ search-attribute upserts', { upsertSearchAttributes: true }],
    ['+ 3 local activities', { localActivities: 3 }],
    ['+ all three', { padding: options.policy, upsertSearchAttributes: true, localActivities: 3 }],
    ['cascade', 'cascade'],
    ...(stack.comparisonCascades
      ? [['cascade, modules per workflow', 'cascade, modules per workflow'] satisfies Variant]
      : []),
  ];
  const results: Decomposition = [];
  await stack.runFloor(`floor-${prefix}-warmup`);
  for (const [variant, workflowOptions] of variants) {
    const execute = async (label: string) => {
      const id = `${prefix}-${results.length}-${label}`;
      if (typeof workflowOptions !== 'string') return stack.runFloor(`floor-${id}`, workflowOptions);
      const cascades = workflowOptions === 'cascade' ? stack.cascades : stack.comparisonCascades!;
      const result = await cascades.run({
        requestId: id,
        route: 'zero',
        messages: [{ role: 'user', content: `Classify ticket ${id}: I was charged twice.` }],
      });
      if (result.outcome !== 'accepted') throw new Error(`cascade ${id} ended ${result.outcome}, not accepted`);
    };
    if (typeof workflowOptions === 'string') await execute('warmup');
    const measured = await measureWorkflows({
      execute,
      workflows: options.options.workflows,
      concurrency: options.options.concurrency,
      sequential: options.options.sequential,
      readCpu: () => readCpu(stack),
    });
    options.say(
      `  ${variant}: ${measured.workflowsPerSecond.toFixed(1)}/s, p50 ${measured.sequentialLatencyMs.p50.toFixed(0)} ms`,
    );
    results.push({ variant, ...measured });
  }
  return results;
}

/** Where one sequential workflow of each kind spent its time, from its history. */
async function sampleBreakdown(stack: FloorStack, label: string) {
  const read = async (workflowId: string) => {
    const history = await stack.temporal.workflow.getHandle(workflowId).fetchHistory();
    return {
      ...cascadeTimeline(workflowId, history.events ?? []).breakdown,
      historyBytes: JSON.stringify(history).length,
    };
  };
  await stack.runFloor(`floor-sample-${label}`);
  const cascade = await stack.cascades.run({
    requestId: `sample-${label}`,
    route: 'zero',
    messages: [{ role: 'user', content: 'Classify: I was charged twice.' }],
  });
  return { floor: await read(`floor-sample-${label}`), cascade: await read(cascade.workflowId) };
}

function summarize(runs: ServerRun[]) {
  const of = (journal: Journal) => {
    const selected = runs.filter((run) => run.journal === journal);
    const floorRate = mean(selected.map((run) => run.floor.workflowsPerSecond));
    const cascadeRate = mean(selected.map((run) => run.cascade.workflowsPerSecond));
    const floorCpu = meanCpu(selected.map((run) => run.floor.cpuPerWorkflow));
    const cascadeCpu = meanCpu(selected.map((run) => run.cascade.cpuPerWorkflow));
    const floorP50 = mean(selected.map((run) => run.floor.sequentialLatencyMs.p50));
    const cascadeP50 = mean(selected.map((run) => run.cascade.sequentialLatencyMs.p50));
    return {
      floorRate,
      cascadeRate,
      rateRatio: cascadeRate / floorRate,
      floorCpu,
      cascadeCpu,
      cpuRatio: floorCpu === undefined || cascadeCpu === undefined ? undefined : floorCpu / cascadeCpu,
      floorP50,
      cascadeP50,
      p50Ratio: cascadeP50 / floorP50,
    };
  };
  const rollback = of('rollback');
  const wal = of('wal');
  return {
    rollback,
    wal,
    walOverRollback: {
      floorRate: wal.floorRate / rollback.floorRate,
      cascadeRate: wal.cascadeRate / rollback.cascadeRate,
    },
  };
}

/** The mean total CPU per workflow, when every run knows it. */
function meanCpu(figures: Array<CpuPerWorkflow | undefined>): number | undefined {
  const totals = figures.map((figure) => figure?.totalMs);
  return totals.every((total): total is number => total !== undefined) && totals.length > 0 ? mean(totals) : undefined;
}

function renderReport(report: {
  cores: number;
  concurrency: number;
  workflows: number;
  sequential: number;
  runs: ServerRun[];
  summary: ReturnType<typeof summarize>;
  breakdown?: {
    floor: TimelineBreakdown & { historyBytes: number };
    cascade: TimelineBreakdown & { historyBytes: number };
  };
  decomposition?: Decomposition;
}): string {
  const rate = (value: number) => `${value.toFixed(1)}/s`;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const ratio = (value: number) => `${value.toFixed(2)}×`;
  const cpu = (value: number | undefined) => (value === undefined ? '?' : `${value.toFixed(1)} ms`);
  const cpuRatio = (floor: number | undefined, cascade: number | undefined) =>
    floor === undefined || cascade === undefined ? '?' : ratio(floor / cascade);
  const table = renderConsoleTable({
    header: [
      'server',
      'floor',
      'cascade',
      'ratio',
      'floor CPU',
      'casc. CPU',
      'inverse',
      'floor p50',
      'casc. p50',
      'ratio',
      'server cores',
      'own cores',
    ],
    rows: [
      ...report.runs.map((run) => [
        `${run.journal} · round ${run.round}`,
        rate(run.floor.workflowsPerSecond),
        rate(run.cascade.workflowsPerSecond),
        ratio(run.cascade.workflowsPerSecond / run.floor.workflowsPerSecond),
        cpu(run.floor.cpuPerWorkflow?.totalMs),
        cpu(run.cascade.cpuPerWorkflow?.totalMs),
        cpuRatio(run.floor.cpuPerWorkflow?.totalMs, run.cascade.cpuPerWorkflow?.totalMs),
        ms(run.floor.sequentialLatencyMs.p50),
        ms(run.cascade.sequentialLatencyMs.p50),
        ratio(run.cascade.sequentialLatencyMs.p50 / run.floor.sequentialLatencyMs.p50),
        run.devServerCores === undefined ? '?' : run.devServerCores.toFixed(2),
        run.benchmarkProcessCores.toFixed(2),
      ]),
      ...(['rollback', 'wal'] as const).map((journal) => {
        const summary = report.summary[journal];
        return [
          `${journal} · mean`,
          rate(summary.floorRate),
          rate(summary.cascadeRate),
          ratio(summary.rateRatio),
          cpu(summary.floorCpu),
          cpu(summary.cascadeCpu),
          summary.cpuRatio === undefined ? '?' : ratio(summary.cpuRatio),
          ms(summary.floorP50),
          ms(summary.cascadeP50),
          ratio(summary.p50Ratio),
          '',
          '',
        ];
      }),
    ],
    rightAligned: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  });
  const lines = [
    `Floor (one no-op activity) against an accepted cascade (zero model latency), ${report.concurrency} in flight × ${report.workflows}, then ${report.sequential} one at a time; ${report.cores} cores`,
    `CPU: dev server and benchmark process (workers, client, model server) per workflow at ${report.concurrency} in flight; "inverse" is floor CPU over cascade CPU, the throughput ratio where the cores are the limit`,
    '',
    table,
    '',
    `WAL over rollback journal: floor ${ratio(report.summary.walOverRollback.floorRate)}, cascade ${ratio(report.summary.walOverRollback.cascadeRate)} workflows per second`,
  ];
  const failures = report.runs
    .flatMap((run) => [run.floor, run.cascade])
    .filter((measurement) => measurement.failures > 0);
  if (failures.length > 0)
    lines.push(
      `failures: ${failures.map((measurement) => `${measurement.failures} (${measurement.firstFailure})`).join('; ')}`,
    );
  if (report.breakdown) {
    const describe = (breakdown: TimelineBreakdown & { historyBytes: number }) =>
      `${ms(breakdown.totalMs)} in history: ${breakdown.workflowTasks} workflow tasks (queued ${ms(breakdown.workflowTaskScheduledToStartedMs)}, ` +
      `running ${ms(breakdown.workflowTaskStartedToCompletedMs)}), ${breakdown.activities} activities (queued ${ms(breakdown.activityScheduledToStartedMs)}, ` +
      `running ${ms(breakdown.activityStartedToCompletedMs)}), local activities [${breakdown.localActivities.join(', ')}], history ${breakdown.historyBytes} bytes`;
    lines.push(
      '',
      'One workflow of each kind, one at a time, on a WAL server:',
      renderConsoleTable({
        rows: [
          ['  floor', describe(report.breakdown.floor)],
          ['  cascade', describe(report.breakdown.cascade)],
        ],
      }),
    );
  }
  if (report.decomposition) {
    const floorRate = report.decomposition[0]!.workflowsPerSecond;
    const floorCpu = report.decomposition[0]!.cpuPerWorkflow;
    const decompositionTable = renderConsoleTable({
      rows: report.decomposition.map((row) => [
        `  ${row.variant}`,
        rate(row.workflowsPerSecond),
        `(${ratio(row.workflowsPerSecond / floorRate)} the floor)`,
        `CPU ${cpu(row.cpuPerWorkflow?.totalMs)} per workflow (server ${cpu(row.cpuPerWorkflow?.devServerMs)}, process ${cpu(row.cpuPerWorkflow?.benchmarkProcessMs)}; floor/this ${cpuRatio(floorCpu?.totalMs, row.cpuPerWorkflow?.totalMs)})`,
        `sequential p50 ${ms(row.sequentialLatencyMs.p50)}`,
        row.failures > 0 ? `${row.failures} failed: ${row.firstFailure}` : '',
      ]),
      rightAligned: [1],
      columnGap: 3,
    });
    lines.push(
      '',
      `The floor plus one cascade ingredient at a time, one WAL server, ${report.concurrency} in flight:`,
      decompositionTable,
    );
  }
  return lines.join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
