/**
 * Records the histories that the replay test replays: one cascade per path of the workflow, run on a
 * real dev server with a real worker. Run it when a new workflow version ships, and commit the files:
 *   npx tsx scripts/record-history-fixtures.ts
 * Older fixtures stay: they prove that histories of earlier versions still replay. `--only` records just
 * the named paths (a path added to the workflow), and leaves every other file as it is:
 *   npx tsx scripts/record-history-fixtures.ts --only flagship-only
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { CascadeRequest } from '../common/cascade-request';
import {
  newRequestId,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from '../test/integration/cascade-harness';
import { difficultyModels, difficultyRoutesYaml } from '../test/integration/difficulty-stack';
import globalSetup from '../test/integration/global-setup';
import globalTeardown from '../test/integration/global-teardown';

/** Histories of the current workflow are recorded under this version; older ones stay committed. */
const workflowVersion = 'v4';
/** Histories of the back-fill workflow are recorded under this version. */
const backfillVersion = 'v1';
/** Histories of the drift check are recorded under this version. */
const driftCheckVersion = 'v1';

const directory = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function record(harness: Harness, name: string, request: Omit<CascadeRequest, 'requestId'>): Promise<void> {
  const started = await harness.client.start({
    ...request,
    requestId: newRequestId(`fixture-${name}`),
    tags: { customer: 'fixture' },
  });
  await harness.client.result(started.workflowId).catch(() => undefined);
  const history = await harness.temporal.workflow.getHandle(started.workflowId).fetchHistory();
  const file = join(directory, `cascade-${workflowVersion}-${name}.json`);
  writeFileSync(file, historyToJSON(history));
  process.stdout.write(`wrote ${file} (${history.events?.length ?? 0} events)\n`);
}

/** A small back-fill job with every kind of row: accepted, escalated, failed, invalid, unreadable. */
async function recordBackfill(harness: Harness, name: string): Promise<void> {
  const workDirectory = mkdtempSync(join(tmpdir(), 'fixture-backfill-'));
  try {
    const prefix = newRequestId('fixture');
    const row = (id: string, marker: string) =>
      JSON.stringify({
        requestId: `${prefix}-${id}`,
        messages: [{ role: 'user', content: `Ticket ${marker}: please classify.` }],
      });
    const path = join(workDirectory, 'requests.jsonl');
    writeFileSync(
      path,
      [
        row('1', 'plain'),
        row('2', 'CHEAP-INVALID-JSON'),
        row('3', 'CHEAP-OFF-SCHEMA FLAGSHIP-BAD-REQUEST'),
        row('4', 'plain'),
        '{broken',
        JSON.stringify({ requestId: `${prefix}-5`, messages: [] }),
      ].join('\n'),
    );
    const jobId = `${prefix}-job`;
    await harness.backfill.start({
      jobId,
      source: { kind: 'jsonl', path },
      route: 'tickets',
      concurrency: 2,
      ratePerSecond: 20,
      pageSize: 4,
    });
    await harness.backfill.result(jobId);
    const history = await harness.temporal.workflow.getHandle(`backfill-${jobId}`).fetchHistory();
    const file = join(directory, `backfill-${backfillVersion}-${name}.json`);
    writeFileSync(file, historyToJSON(history));
    process.stdout.write(`wrote ${file} (${history.events?.length ?? 0} events)\n`);
  } finally {
    rmSync(workDirectory, { recursive: true, force: true });
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
  const history = await harness.temporal.workflow.getHandle(workflowId).fetchHistory();
  const file = join(directory, `drift-check-${driftCheckVersion}-${name}.json`);
  writeFileSync(file, historyToJSON(history));
  process.stdout.write(
    `wrote ${file} (${history.events?.length ?? 0} events, ${JSON.stringify((result as { status?: string }).status)})\n`,
  );
}

/** The stacks the fixtures run on: the standard routes (with a flagship-only one) and the difficulty gates. */
interface Stacks {
  standard: Harness;
  difficulty: Harness;
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
const cascadeCase = (stack: keyof Stacks, name: string, request: Omit<CascadeRequest, 'requestId'>): FixtureCase => ({
  name,
  record: (stacks) => record(stacks[stack], name, request),
});

const cases: FixtureCase[] = [
  cascadeCase('standard', 'accepted', ticket('plain ticket')),
  cascadeCase('standard', 'escalated-json-invalid', ticket('CHEAP-INVALID-JSON')),
  cascadeCase('standard', 'escalated-rate-limited-flagship', ticket('CHEAP-REFUSES FLAGSHIP-RATE-LIMITED')),
  cascadeCase('standard', 'escalated-cheap-timeout', ticket('CHEAP-HANGS')),
  cascadeCase('standard', 'failed-flagship-bad-request', ticket('CHEAP-OFF-SCHEMA FLAGSHIP-BAD-REQUEST')),
  cascadeCase('standard', 'flagship-only', ticket('plain ticket', 'tickets-direct')),
  cascadeCase('difficulty', 'escalated-low-confidence', ask('confidence', 'Which letter? UNSURE')),
  cascadeCase('difficulty', 'accepted-self-consistency', ask('consistency', 'Which letter? CONFIDENT')),
  cascadeCase('difficulty', 'escalated-judge-rejected', ask('judged', 'Capital of France? JUDGE-DISLIKES')),
  cascadeCase('difficulty', 'escalated-weighted', ask('weighted', 'Capital of France? JUDGE-DISLIKES')),
  cascadeCase('difficulty', 'accepted-shadow-flagship', {
    ...ask('confidence', 'Which letter? CONFIDENT'),
    shadowFlagship: true,
  }),
  { name: 'mixed-rows', record: (stacks, name) => recordBackfill(stacks.standard, name) },
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
    routesYaml: standardRoutes({ cheapTimeout: '800ms', flagshipOnlyRoute: true }),
  });
  const difficulty = await startHarness({ models: difficultyModels, routesYaml: difficultyRoutesYaml });
  try {
    for (const fixture of cases) {
      if (selected.has(fixture.name)) await fixture.record({ standard, difficulty }, fixture.name);
    }
  } finally {
    await difficulty.stop();
    await standard.stop();
    await globalTeardown();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
