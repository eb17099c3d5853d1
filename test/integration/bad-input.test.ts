import { NativeConnection } from '@temporalio/worker';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CascadeClient } from '../../client/cascade-client';
import { InvalidCascadeRequestError } from '../../client/cascade-errors';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
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
    ['an unexpected field', { temperature: 2 }, 'temperature'],
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
    const failure = await startRaw(
      { requestId: 'raw-1', route: 'tickets', messages: 'hello' },
      newRequestId('raw-bad'),
    );
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

    const failure = await startRaw(
      { requestId: 'raw-2', route: 'billing', messages: [{ role: 'user', content: 'hi' }] },
      newRequestId('raw-unknown'),
    );
    expect(failure.type).toBe('UnknownRoute');
    expect(failure.message).toContain('unknown route "billing"');
  });

  it.each([
    ['another environment variable as the key', { apiKeyEnv: 'HOME' }],
    ['another endpoint for the configured key', { baseUrl: 'http://127.0.0.1:9/v1' }],
  ])('refuses a policy that sends %s, without calling any model', async (_label, change) => {
    const policy = harness.routes.get('tickets');
    const tampered = { ...policy, cheap: { ...policy.cheap, model: { ...policy.cheap.model, ...change } } };
    const before = harness.modelServer.callCounts().total;
    const failure = await startRaw(
      { requestId: 'raw-3', route: 'tickets', messages: [{ role: 'user', content: 'hi' }], policy: tampered },
      newRequestId('raw-tampered'),
    );
    expect(failure.type).toBe('CascadeFailed');
    expect(failure.message).toContain('ModelNotAllowed');
    expect(failure.message).toContain("is not in this worker's configuration");
    expect(harness.modelServer.callCounts().total).toBe(before);
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
