import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { createCascadeTracing, type CascadeTracing } from '../../operations/tracing/cascade-tracing';
import { newRequestId, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

jest.setTimeout(120_000);

const exporter = new InMemorySpanExporter();
let tracing: CascadeTracing;
let harness: Harness;

beforeAll(async () => {
  tracing = createCascadeTracing({ spanProcessor: new SimpleSpanProcessor(exporter), serviceName: 'cascade-test' });
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes(), tracing });
});

afterAll(async () => {
  await harness?.stop();
  await tracing?.shutdown();
});

function ticket(label: string, text: string) {
  return {
    requestId: newRequestId(label),
    route: 'tickets',
    messages: [{ role: 'user' as const, content: text }],
    tags: { customer: 'acme' },
  };
}

/** The spans of the trace that started `workflowId`, once the client's start span and the workflow's run span have ended. */
async function traceOf(workflowId: string): Promise<ReadableSpan[]> {
  await tracing.forceFlush();
  const spans = exporter.getFinishedSpans();
  const start = spans.find(
    (span) => span.name === 'StartWorkflow:cascade' && span.attributes.temporalWorkflowId === workflowId,
  );
  if (!start) throw new Error(`no StartWorkflow span for ${workflowId}`);
  const traceId = start.spanContext().traceId;
  return spans.filter((span) => span.spanContext().traceId === traceId);
}

/** Each span's parent is in the trace; the client's start is its one root. */
function expectConnected(spans: ReadableSpan[]): void {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const roots = spans.filter((span) => !span.parentSpanId);
  expect(roots.map((span) => span.name)).toEqual(['StartWorkflow:cascade']);
  const orphans = spans.filter((span) => span.parentSpanId && !ids.has(span.parentSpanId));
  expect(orphans.map((span) => span.name)).toEqual([]);
  // Every span once: a replaying worker does not export again what the first one did.
  expect(ids.size).toBe(spans.length);
}

function parentOf(spans: ReadableSpan[], span: ReadableSpan): ReadableSpan | undefined {
  return spans.find((candidate) => candidate.spanContext().spanId === span.parentSpanId);
}

describe('OpenTelemetry traces of a cascade', () => {
  it('traces an escalated request from the client start through each model call, the gate and the outcome', async () => {
    const started = await harness.client.start(
      ticket('trace-escalated', 'CHEAP-INVALID-JSON my card was charged twice'),
    );
    const result = await harness.client.result(started.workflowId);
    expect(result.outcome).toBe('escalated');

    const spans = await traceOf(started.workflowId);
    expectConnected(spans);
    const names = spans.map((span) => span.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'StartWorkflow:cascade',
        'RunWorkflow:cascade',
        'StartActivity:resolveRoute',
        'StartActivity:callModel',
        'RunActivity:callModel',
        'chat cheap-model',
        'chat flagship-model',
        'RunActivity:evaluateGate',
        'RunActivity:recordOutcome',
      ]),
    );
    const run = spans.find((span) => span.name === 'RunWorkflow:cascade')!;
    expect(parentOf(spans, run)?.name).toBe('StartWorkflow:cascade');

    const cheap = spans.find((span) => span.name === 'chat cheap-model')!;
    expect(cheap.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(spans, cheap)?.name).toBe('RunActivity:callModel');
    const cheapReport = result.tiers.find((tier) => tier.tier === 'cheap')!;
    expect(cheap.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system': 'openai',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'cheap-model',
      'gen_ai.response.model': 'cheap-model',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': cheapReport.usage?.inputTokens,
      'gen_ai.usage.output_tokens': cheapReport.usage?.outputTokens,
      'cascade.route': 'tickets',
      'cascade.tier': 'cheap',
      'cascade.request_id': result.requestId,
      'cascade.cost_usd': cheapReport.cost.usd,
    });

    const flagship = spans.find((span) => span.name === 'chat flagship-model')!;
    expect(flagship.attributes).toMatchObject({
      'gen_ai.request.model': 'flagship-model',
      'cascade.tier': 'flagship',
      'cascade.cost_usd': result.cost.flagshipUsd,
    });

    const gate = spans.find((span) => span.name === 'RunActivity:evaluateGate')!;
    expect(gate.attributes).toMatchObject({
      'cascade.gate.kind': 'all',
      'cascade.gate.passed': false,
      'cascade.gate.score': result.verdict?.score,
      'cascade.gate.reasons': ['json_invalid'],
      'cascade.escalation_reason': 'json_invalid',
    });
    const outcome = spans.find((span) => span.name === 'RunActivity:recordOutcome')!;
    expect(outcome.attributes).toMatchObject({
      'cascade.route': 'tickets',
      'cascade.outcome': 'escalated',
      'cascade.escalation_reason': 'json_invalid',
      'cascade.answer_tier': 'flagship',
      'cascade.cost_usd': result.cost.totalUsd,
      'cascade.flagship_only_cost_usd': result.cost.flagshipOnlyUsd,
    });
    // The flagship was asked after the gate: its activity starts after the gate's verdict.
    expect(hrTimeMs(flagship.startTime)).toBeGreaterThanOrEqual(hrTimeMs(gate.endTime));
  });

  it('keeps one connected trace when a worker stops mid-call and another replays the workflow', async () => {
    const started = await harness.client.start(
      ticket('trace-restart', 'CHEAP-INVALID-JSON FLAGSHIP-SLOW the export is broken'),
    );
    // The flagship answers in 3 s; the worker stops while it is asked (2 s of grace), and the call is cut.
    await waitFor(() => harness.callsOf('flagship-model') >= 1 + flagshipCallsBefore);
    await harness.stopWorker();
    await harness.startWorker();
    const result = await harness.client.result(started.workflowId);
    expect(result.outcome).toBe('escalated');

    const spans = await traceOf(started.workflowId);
    expectConnected(spans);
    const flagshipAttempts = spans.filter((span) => span.name === 'chat flagship-model');
    // The cut attempt, ended by the first worker, and the answered one, by the second.
    expect(flagshipAttempts.map((span) => span.attributes['cascade.attempt'])).toEqual([1, 2]);
    expect(flagshipAttempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(flagshipAttempts[1]?.attributes['gen_ai.response.model']).toBe('flagship-model');
    // Both attempts under the one activity the workflow scheduled, which the second worker ended after its replay.
    const scheduled = flagshipAttempts.map((span) => parentOf(spans, parentOf(spans, span)!)?.spanContext().spanId);
    expect(new Set(scheduled).size).toBe(1);
    expect(spans.filter((span) => span.name === 'RunWorkflow:cascade')).toHaveLength(1);
    expect(spans.filter((span) => span.name === 'chat cheap-model')).toHaveLength(1);
  });
});

let flagshipCallsBefore = 0;
beforeEach(() => {
  flagshipCallsBefore = harness.callsOf('flagship-model');
});

function hrTimeMs(time: [number, number]): number {
  return time[0] * 1000 + time[1] / 1e6;
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
