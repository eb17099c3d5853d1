import { NativeConnection } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CascadeClient } from '../../client/cascade-client';
import { InvalidCascadeRequestError } from '../../client/cascade-errors';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { ConfigurationError, UnknownRouteError } from '../../config/configuration-error';
import { parseConfig } from '../../config/load-config';
import { createCascadeWorker } from '../../workers/create-worker';
import { newRequestId, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes() });
});

afterAll(async () => {
  await harness?.stop();
});

async function executionsWithId(workflowId: string): Promise<number> {
  let count = 0;
  for await (const _execution of harness.temporal.workflow.list({ query: `WorkflowId = "${workflowId}"` })) count += 1;
  return count;
}

/** Starts a raw cascade under the id its request id gives and returns how it failed, checking that no model was called. */
async function startRawWithoutCalls(
  fields: { route: string; policy?: unknown; messages?: unknown },
  label: string,
): Promise<ApplicationFailure> {
  const before = harness.modelServer.callCounts().total;
  const requestId = newRequestId(label);
  const failure = await startRaw(
    { requestId, messages: [{ role: 'user', content: 'CHEAP-LONG-ANSWER hi' }], ...fields },
    `cascade-${requestId}`,
  );
  expect(harness.modelServer.callCounts().total).toBe(before);
  return failure;
}

/** Starts workflow type `cascade` with raw JSON, as any Temporal client could, and returns how it failed. */
async function startRaw(input: unknown, workflowId: string): Promise<ApplicationFailure> {
  const handle = await harness.temporal.workflow.start('cascade', {
    taskQueue: harness.taskQueue,
    workflowId,
    args: [input],
  });
  const failure = await handle.result().then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('bad input', () => {
  it.each([
    ['an empty message list', { messages: [] }, 'messages'],
    [
      'a last message not from the user',
      { messages: [{ role: 'assistant', content: 'hi' }] },
      'messages: must end with a user message',
    ],
    ['an unknown role', { messages: [{ role: 'robot', content: 'hi' }] }, 'messages.0.role'],
    ['a request id with spaces', { requestId: 'two words' }, 'requestId'],
    ['a tag that is not a string', { tags: { customer: 42 } }, 'tags.customer'],
    ['an unexpected field', { topP: 0.5 }, 'topP'],
    ['a temperature above 2', { temperature: 3 }, 'temperature'],
  ])('names the bad field of %s and starts nothing', async (_label, change, fragment) => {
    const requestId = newRequestId('bad');
    const request = {
      requestId,
      route: 'tickets',
      messages: [{ role: 'user', content: 'hello' }],
      ...change,
    } as unknown as CascadeRequest;
    const error = await harness.client.start(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidCascadeRequestError);
    expect((error as InvalidCascadeRequestError).type).toBe('InvalidCascadeRequest');
    expect((error as Error).message).toContain(fragment);
    if (typeof (request as { requestId: unknown }).requestId === 'string' && !/\s/.test(request.requestId)) {
      expect(await executionsWithId(`cascade-${request.requestId}`)).toBe(0);
    }
  });

  it('reports an unknown route at once, before starting anything', async () => {
    const requestId = newRequestId('unknown-route');
    const error = await harness.client
      .start({ requestId, route: 'billing', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnknownRouteError);
    expect((error as Error).message).toBe('unknown route "billing"; the configuration has: tickets');
    expect(await executionsWithId(`cascade-${requestId}`)).toBe(0);
  });

  it('fails a raw start with malformed JSON with InvalidCascadeRequest naming the field, without calling a model', async () => {
    const before = harness.modelServer.callCounts().total;
    const requestId = newRequestId('raw-bad');
    const failure = await startRaw({ requestId, route: 'tickets', messages: 'hello' }, `cascade-${requestId}`);
    expect(failure.type).toBe('InvalidCascadeRequest');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('messages');
    expect(harness.modelServer.callCounts().total).toBe(before);
  });

  it('resolves the route on the worker for a raw start without a policy, and fails an unknown one at once', async () => {
    const client = new CascadeClient({ client: harness.temporal, taskQueue: harness.taskQueue });
    const result = await client.run({
      requestId: newRequestId('raw-route'),
      route: 'tickets',
      messages: [{ role: 'user', content: 'plain ticket' }],
    });
    expect(result.outcome).toBe('accepted');
    expect(result.policy).toEqual(harness.routes.get('tickets'));

    const requestId = newRequestId('raw-unknown');
    const failure = await startRaw(
      { requestId, route: 'billing', messages: [{ role: 'user', content: 'hi' }] },
      `cascade-${requestId}`,
    );
    expect(failure.type).toBe('UnknownRoute');
    expect(failure.message).toContain('unknown route "billing"');
  });

  it.each([
    ['another environment variable as the key', { apiKeyEnv: 'HOME' }, 'key variable HOME is not in this worker'],
    ['another endpoint for the configured key', { baseUrl: 'http://127.0.0.1:9/v1' }, 'at http://127.0.0.1:9/v1 with'],
    [
      'zero prices',
      { price: { inputPerMillionUsd: 0, outputPerMillionUsd: 0 } },
      "cheap.model: cheap-model must be priced as this worker's configuration prices it",
    ],
  ])('refuses a policy that sets %s, before calling any model', async (_label, change, fragment) => {
    const policy = harness.routes.get('tickets');
    const tampered = { ...policy, cheap: { ...policy.cheap, model: { ...policy.cheap.model, ...change } } };
    const failure = await startRawWithoutCalls({ route: 'tickets', policy: tampered }, 'raw-tampered');
    expect(failure.type).toBe('PolicyRejected');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(fragment);
  });

  it.each([
    [
      'unbounded retries',
      (policy: RoutePolicy) => ({
        ...policy,
        flagship: { ...policy.flagship, retry: { ...policy.flagship.retry, maximumAttempts: 37 } },
      }),
      'flagship.retry.maximumAttempts is 37, above the limit of 10 (maximumAttempts)',
    ],
    [
      "a timeout past Node's timers",
      (policy: RoutePolicy) => ({ ...policy, cheap: { ...policy.cheap, timeoutMs: 2 ** 31 } }),
      `cheap.timeoutMs is ${2 ** 31}, above the limit`,
    ],
    [
      'twenty self-consistency samples',
      (policy: RoutePolicy) => ({
        ...policy,
        gate: {
          kind: 'self-consistency' as const,
          samples: 20,
          threshold: 0.5,
          extractor: { kind: 'choice-letter' as const },
        },
      }),
      'gate.samples is 20, above the limit of 10 (maximumSamples)',
    ],
    [
      'the flagship on the cheap tier at the cheap price',
      (policy: RoutePolicy) => ({
        ...policy,
        cheap: { ...policy.cheap, model: { ...policy.flagship.model, price: policy.cheap.model.price } },
      }),
      "cheap.model: flagship-model must be priced as this worker's configuration prices it",
    ],
  ])('refuses a policy with %s, naming the field, before calling any model', async (_label, change, fragment) => {
    const failure = await startRawWithoutCalls(
      { route: 'tickets', policy: change(harness.routes.get('tickets')) },
      'raw-limits',
    );
    expect(failure.type).toBe('PolicyRejected');
    expect(failure.message).toContain(fragment);
  });

  it("refuses a workflow id that is not the request id's, so idempotency cannot be bypassed", async () => {
    const before = harness.modelServer.callCounts().total;
    const requestId = newRequestId('raw-id');
    const failure = await startRaw(
      { requestId, route: 'tickets', messages: [{ role: 'user', content: 'hi' }] },
      `cascade-${requestId}-again`,
    );
    expect(failure.type).toBe('RequestIdMismatch');
    expect(failure.message).toContain(`start it as "cascade-${requestId}"`);
    expect(harness.modelServer.callCounts().total).toBe(before);
  });

  it.each([
    ['empty text', [{ role: 'user', content: '   ' }], 'messages.0.content: is empty or only whitespace'],
    ['a lone surrogate', [{ role: 'user', content: 'half \uD83D' }], 'messages.0.content: is not valid Unicode text'],
    [
      'text over the size limit',
      [{ role: 'user', content: 'x'.repeat(300 * 1024) }],
      'messages: 307200 bytes of text, above the limit of 262144 bytes (limits.maximumRequestBytes)',
    ],
  ])('refuses %s from a raw start, before calling any model', async (_label, messages, fragment) => {
    const failure = await startRawWithoutCalls({ route: 'tickets', messages }, 'raw-text');
    expect(failure.type).toBe('InvalidCascadeRequest');
    expect(failure.message).toContain(fragment);
  });

  it('refuses the same text at the client, before anything starts', async () => {
    const requestId = newRequestId('client-text');
    const error = await harness.client
      .start({ requestId, route: 'tickets', messages: [{ role: 'user', content: '\n' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidCascadeRequestError);
    expect((error as Error).message).toContain('messages.0.content: is empty or only whitespace');
    expect(await executionsWithId(`cascade-${requestId}`)).toBe(0);
    const oversized = await harness.client
      .start({ requestId, route: 'tickets', messages: [{ role: 'user', content: 'y'.repeat(2_100_000) }] })
      .catch((caught: unknown) => caught);
    expect((oversized as Error).message).toContain('above the limit of 262144 bytes');
  });

  it('answers at once a policy whose gate pattern would backtrack for ever, escalating on the verdict', async () => {
    // The attack: any starter may put a policy in the input. On JavaScript's own engine this pattern
    // would pin the worker's CPU on the cheap answer (5,000 characters); on the linear-time engine the
    // gate just says no.
    const policy = harness.routes.get('tickets');
    const input = {
      requestId: newRequestId('backtracking'),
      route: 'tickets',
      messages: [{ role: 'user', content: 'CHEAP-LONG-ANSWER: classify this ticket about a double charge.' }],
      policy: { ...policy, gate: { kind: 'required-pattern', pattern: '^(.+)+Z$' } },
    };
    const result = (await harness.temporal.workflow.execute('cascade', {
      taskQueue: harness.taskQueue,
      workflowId: `cascade-${input.requestId}`,
      args: [input],
    })) as { outcome: string; tiers: Array<{ tier: string }>; escalationReason?: string };
    expect(result.outcome).toBe('escalated');
    expect(result.tiers.map((tier) => tier.tier)).toEqual(['cheap', 'flagship']);
  });

  it('refuses to start a worker whose route has a pattern the linear-time engine cannot run, naming the route', async () => {
    const connection = await NativeConnection.connect({ address: harness.address });
    try {
      const routes = parseConfig(
        harness.routesYaml.replace('- kind: refusal', "- { kind: required-pattern, pattern: '(a)\\1' }"),
      );
      const error = await createCascadeWorker({
        connection,
        taskQueue: 'never-polled',
        routes,
        environment: { CASCADE_TEST_MODEL_API_KEY: 'unused' },
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(
        /^the worker cannot run every configured gate: route "tickets": required-pattern gate: \/\(a\)\\1\/ cannot run on the linear-time engine/,
      );
    } finally {
      await connection.close();
    }
  });

  it('refuses to start a worker whose API key is missing, naming the variable', async () => {
    const connection = await NativeConnection.connect({ address: harness.address });
    try {
      const routes = parseConfig(harness.routesYaml);
      const error = await createCascadeWorker({ connection, taskQueue: 'never-polled', routes, environment: {} }).catch(
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('CASCADE_TEST_MODEL_API_KEY');
    } finally {
      await connection.close();
    }
  });
});
