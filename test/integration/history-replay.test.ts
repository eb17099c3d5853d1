import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { temporal } from '@temporalio/proto';
import { DeterminismViolationError } from '@temporalio/workflow';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { decodeSummary, scheduledModelCalls } from './cascade-harness';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { createCascadeTracing } from '../../operations/tracing/cascade-tracing';
import { workflowBundleOptions } from '../../workers/workflow-bundle-options';

const fixtureDirectory = join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(fixtureDirectory)
  .filter((name) => name.endsWith('.json'))
  .sort();
const silent = () => undefined;
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };

function loadHistory(name: string) {
  return historyFromJSON(JSON.parse(readFileSync(join(fixtureDirectory, name), 'utf8')));
}

/**
 * The workflow id a fixture ran under: a cascade holds its workflow id to its request id (`cascade-<requestId>`),
 * and a history does not record the id, so it is derived from the input; other workflows take the file name.
 */
function workflowIdOf(name: string): string {
  // A canary holds its workflow id to its request id too (`canary-<requestId>`).
  const prefix = name.startsWith('cascade-') ? 'cascade-' : name.startsWith('canary-check-') ? 'canary-' : undefined;
  if (prefix === undefined) return name;
  const start = loadHistory(name).events?.[0]?.workflowExecutionStartedEventAttributes;
  const payload = start?.input?.payloads?.[0];
  const input = JSON.parse(Buffer.from(payload?.data ?? new Uint8Array()).toString('utf8')) as { requestId: string };
  return `${prefix}${input.requestId}`;
}

describe('committed histories replay on the current workflow code', () => {
  it('has a fixture for every path of the workflow', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(5);
    const paths = [
      'accepted',
      'escalated-json-invalid',
      'escalated-rate-limited-flagship',
      'escalated-cheap-timeout',
      'failed-flagship-bad-request',
      'escalated-low-confidence',
      'accepted-self-consistency',
      'escalated-judge-rejected',
      'escalated-weighted',
      'accepted-shadow-flagship',
      'flagship-only',
      'escalated-cheap-empty',
      'failed-cheap-key-refused',
      'accepted-supplied-policy',
      'failed-policy-rejected',
      'mixed-rows',
      'continued-as-new',
      'carried-over',
      'cancelled',
      'alert',
      'accepted-canary',
      'disagreed',
      'open',
      'accepted-fallback',
      'escalated-both-tiers-fall-back',
      'accepted-circuit-open',
      'pre-routed-context-window',
      'pre-routed-rule',
      'refused-over-budget',
      'cheap-only-over-budget',
    ];
    for (const path of paths) {
      expect(fixtures.some((name) => name.endsWith(`-${path}.json`))).toBe(true);
    }
  });

  it.each(fixtures)('%s replays without nondeterminism', async (name) => {
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: requiredEnvironment(integrationEnvironment.workflowBundle) } },
        loadHistory(name),
        workflowIdOf(name),
      ),
    ).resolves.toBeUndefined();
  });

  it('replays every history one after another in one worker, whose workflows share the preloaded zod', async () => {
    async function* histories() {
      for (const name of fixtures) yield { workflowId: workflowIdOf(name), history: loadHistory(name) };
    }
    const failed: string[] = [];
    for await (const result of Worker.runReplayHistories(
      { workflowBundle: { codePath: requiredEnvironment(integrationEnvironment.workflowBundle) } },
      histories(),
    )) {
      if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failed).toEqual([]);
  });

  it('replays every history on a traced worker, whose bundle holds the OpenTelemetry workflow interceptors', async () => {
    const exporter = new InMemorySpanExporter();
    const tracing = createCascadeTracing({ spanProcessor: new SimpleSpanProcessor(exporter), serviceName: 'replay' });
    try {
      async function* histories() {
        for (const name of fixtures) yield { workflowId: workflowIdOf(name), history: loadHistory(name) };
      }
      const failed: string[] = [];
      for await (const result of Worker.runReplayHistories(
        {
          workflowsPath: workflowBundleOptions.workflowsPath,
          bundlerOptions: { preloadModules: workflowBundleOptions.preloadModules },
          plugins: [tracing.plugin],
        },
        histories(),
      )) {
        if (result.error) failed.push(`${result.workflowId}: ${result.error.message}`);
      }
      expect(failed).toEqual([]);
      // A replay exports nothing: the spans of a history were exported when it ran.
      await tracing.forceFlush();
      expect(exporter.getFinishedSpans()).toEqual([]);
    } finally {
      await tracing.shutdown();
    }
  });

  it('holds a flagship-only history: one flagship call, no cheap call, no gate', () => {
    const name = fixtures.find((fixture) => fixture.endsWith('-flagship-only.json'))!;
    const events = loadHistory(name).events ?? [];
    expect(scheduledModelCalls(events)).toEqual({ cheap: 0, flagship: 1 });
    // After the start's summary: the one call and the ledger row, and no gate marker or price look-up.
    expect(
      events
        .map(decodeSummary)
        .filter((summary) => summary !== '')
        .slice(1),
    ).toEqual(['flagship · flagship-model · flagship-only route', 'cost ledger · escalated']);
  });

  it('holds back-fill histories that continue as new, start from a carried state, and end by the cancel update', () => {
    const eventsOf = (path: string) =>
      loadHistory(fixtures.find((name) => name.endsWith(`-${path}.json`))!).events ?? [];
    const json = (payload: temporal.api.common.v1.IPayload | undefined): unknown =>
      JSON.parse(Buffer.from(payload!.data!).toString('utf8'));
    const startInput = (events: temporal.api.history.v1.IHistoryEvent[]) =>
      json(events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]) as { carried?: { runs: number } };

    const continued = eventsOf('continued-as-new');
    expect(startInput(continued).carried).toBeUndefined();
    expect(continued[continued.length - 1]!.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    // The rate limit made the run wait for tickets.
    expect(continued.some((event) => event.timerStartedEventAttributes)).toBe(true);

    const carried = eventsOf('carried-over');
    expect(startInput(carried).carried?.runs).toBeGreaterThan(1);
    expect(carried[carried.length - 1]!.workflowExecutionCompletedEventAttributes).toBeTruthy();

    const cancelled = eventsOf('cancelled');
    const updates = cancelled
      .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
      .filter(Boolean);
    expect(updates).toEqual(['resume', 'pause', 'resume', 'cancel']);
    const completed = cancelled[cancelled.length - 1]!.workflowExecutionCompletedEventAttributes;
    expect(json(completed?.result?.payloads?.[0])).toMatchObject({ status: 'cancelled' });
  });

  it('fails on workflow code changed without patched()', async () => {
    const bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../fixtures/workflows/reordered-cascade'),
      logger: quietLogger,
    });
    const escalated = fixtures.find((name) => name.endsWith('-escalated-json-invalid.json'))!;
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, loadHistory(escalated))).rejects.toBeInstanceOf(
      DeterminismViolationError,
    );
  });
});
