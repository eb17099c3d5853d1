import { APICallError, generateText, NoSuchModelError, Output, streamText } from 'ai';
import { z } from 'zod';
import { createCascade, type CascadeProvider } from '../../ai-sdk/create-cascade';
import type { CascadeErrorData } from '../../ai-sdk/provider-errors';
import type { CascadeSummary } from '../../client/cascade-summary';
import { workflowIdOf } from '../../contracts/cascade/cascade-request';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';
import {
  countStandardCalls,
  newRequestId,
  requestSchemaRoute,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from './cascade-harness';

/** A long JSON answer the `tickets` gate accepts, so a stream has several pieces. */
const longAnswer = JSON.stringify({
  category: 'billing',
  summary:
    'The customer sees a charge on the invoice that they do not recognise. It is the annual renewal of their plan, billed on the first of the month, and they may ask for a refund within thirty days.',
});

/** The standard scripted models, the cheap one also answering `CHEAP-LONG-JSON` with `longAnswer`. */
function models(): ScriptedModelSpec[] {
  return standardModels().map((model) =>
    model.id === 'cheap-model'
      ? {
          ...model,
          rules: [{ whenContains: 'CHEAP-LONG-JSON', respond: { text: longAnswer } }, ...(model.rules ?? [])],
        }
      : model,
  );
}

const structuredRoute = requestSchemaRoute('structured');

const ticketSchema = z.object({ category: z.enum(['billing', 'bug', 'account']) });

let harness: Harness;
let cascade: CascadeProvider;

beforeAll(async () => {
  harness = await startHarness({ models: models(), routesYaml: standardRoutes() + structuredRoute });
  cascade = createCascade({ client: harness.client, webUiUrl: 'http://127.0.0.1:8233' });
});

afterAll(async () => {
  await cascade?.close();
  await harness?.stop();
});

function ticket(marker: string): string {
  return `Ticket ${marker}: my invoice shows a charge I do not recognise.`;
}

const countCalls = <T>(action: () => Promise<T>) => countStandardCalls(harness, action);

function summaryOf(providerMetadata: unknown): CascadeSummary {
  return (providerMetadata as { cascade: CascadeSummary }).cascade;
}

async function failureOf(action: () => Promise<unknown>): Promise<APICallError> {
  const error = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(APICallError.isInstance(error)).toBe(true);
  return error as APICallError;
}

describe('the AI SDK provider on a real Temporal server', () => {
  it('answers with the cheap model when the gate accepts, and says so in providerMetadata', async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      generateText({
        model: cascade('tickets'),
        system: 'Classify the support ticket as JSON {"category": ...}.',
        prompt: ticket('plain'),
      }),
    );

    expect(result.text).toBe('{"category": "billing"}');
    expect(cheap).toBe(1);
    expect(flagship).toBe(0);
    const summary = summaryOf(result.providerMetadata);
    expect(summary).toMatchObject({
      route: 'tickets',
      outcome: 'accepted',
      answeredBy: { tier: 'cheap', model: 'cheap-model' },
      verdict: { gate: 'all', passed: true },
      existing: false,
    });
    expect(summary).not.toHaveProperty('escalationReason');
    expect(summary.workflowId).toBe(workflowIdOf(summary.requestId));
    expect(summary.requestId).toMatch(/^ai-sdk-[0-9a-f-]{36}$/);
    expect(summary.webUiUrl).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(summary.workflowId)}`,
    );
    expect(summary.cost.totalUsd).toBeGreaterThan(0);
    expect(summary.cost.savingUsd).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.totalTokens).toBe(result.usage.inputTokens! + result.usage.outputTokens!);
    expect(result.finishReason).toBe('stop');
    expect(result.response).toMatchObject({ id: summary.workflowId, modelId: 'cheap-model' });

    const description = await harness.temporal.workflow.getHandle(summary.workflowId).describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.searchAttributes.CascadeOutcome).toEqual(['accepted']);
  });

  it('escalates a rejected cheap answer once, and bills and reports both calls', async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      generateText({ model: cascade('cascade/tickets'), prompt: ticket('CHEAP-INVALID-JSON') }),
    );

    expect(result.text).toBe('{"category": "account"}');
    expect(cheap).toBe(1);
    expect(flagship).toBe(1);
    const summary = summaryOf(result.providerMetadata);
    expect(summary).toMatchObject({
      outcome: 'escalated',
      escalationReason: 'json_invalid',
      answeredBy: { tier: 'flagship', model: 'flagship-model' },
      verdict: { passed: false, reasons: ['json_invalid'] },
    });
    expect(summary.cost.cheapUsd).toBeGreaterThan(0);
    expect(summary.cost.flagshipUsd).toBeGreaterThan(0);
    expect(summary.cost.savingUsd).toBeLessThan(0);
    expect(result.response.modelId).toBe('flagship-model');

    // Both calls' tokens: the same prompt went to both models.
    const history = await harness.client.result(summary.workflowId);
    const [cheapUsage, flagshipUsage] = history.tiers.map((tier) => tier.usage!);
    expect(result.usage.inputTokens).toBe(cheapUsage!.inputTokens! + flagshipUsage!.inputTokens!);
    expect(result.usage.outputTokens).toBe(cheapUsage!.outputTokens! + flagshipUsage!.outputTokens!);
  });

  it('streams the final answer, in pieces, only once the gate has decided', async () => {
    const { result: stream, cheap } = await countCalls(async () => {
      const result = streamText({ model: cascade('tickets'), prompt: ticket('CHEAP-LONG-JSON') });
      const pieces: string[] = [];
      for await (const piece of result.textStream) pieces.push(piece);
      return { pieces, text: await result.text, providerMetadata: await result.providerMetadata };
    });

    expect(cheap).toBe(1);
    expect(stream.pieces.length).toBeGreaterThan(2);
    expect(stream.pieces.join('')).toBe(longAnswer);
    expect(stream.text).toBe(longAnswer);
    expect(summaryOf(stream.providerMetadata)).toMatchObject({ outcome: 'accepted', route: 'tickets' });

    const escalated = streamText({ model: cascade('tickets'), prompt: ticket('CHEAP-REFUSES') });
    let streamed = '';
    for await (const piece of escalated.textStream) streamed += piece;
    expect(streamed).toBe('{"category": "account"}');
    expect(summaryOf(await escalated.providerMetadata)).toMatchObject({
      outcome: 'escalated',
      escalationReason: 'refusal',
    });
  });

  it("checks structured output against the caller's schema at the gate", async () => {
    const accepted = await generateText({
      model: cascade('structured'),
      output: Output.object({ schema: ticketSchema }),
      prompt: ticket('plain'),
    });
    expect(accepted.output).toEqual({ category: 'billing' });
    expect(summaryOf(accepted.providerMetadata)).toMatchObject({
      outcome: 'accepted',
      verdict: { gate: 'json-schema', passed: true, detail: expect.stringContaining("the request's outputSchema") },
    });

    // The cheap answer {"category": "shipping"} parses but is off the caller's schema: the flagship answers.
    const { result: escalated, flagship } = await countCalls(() =>
      generateText({
        model: cascade('structured'),
        output: Output.object({ schema: ticketSchema }),
        prompt: ticket('CHEAP-OFF-SCHEMA'),
      }),
    );
    expect(escalated.output).toEqual({ category: 'account' });
    expect(flagship).toBe(1);
    expect(summaryOf(escalated.providerMetadata)).toMatchObject({
      outcome: 'escalated',
      escalationReason: 'schema_invalid',
    });
  });

  it('runs one cascade for one request id, however often it is asked', async () => {
    const requestId = newRequestId('ai-sdk-idempotent');
    const ask = () =>
      generateText({
        model: cascade('tickets'),
        prompt: ticket('CHEAP-INVALID-JSON'),
        providerOptions: { cascade: { requestId, tags: { customer: 'acme' } } },
      });
    const { result: answers, cheap, flagship } = await countCalls(async () => [await ask(), await ask()]);

    expect(cheap).toBe(1);
    expect(flagship).toBe(1);
    const [first, second] = answers.map((answer) => summaryOf(answer.providerMetadata));
    expect(first).toMatchObject({ requestId, workflowId: workflowIdOf(requestId), existing: false });
    expect(second).toMatchObject({ requestId, workflowId: workflowIdOf(requestId), existing: true });
    expect(answers[1]!.text).toBe(answers[0]!.text);
    const description = await harness.temporal.workflow.getHandle(workflowIdOf(requestId)).describe();
    expect(description.searchAttributes.CascadeCustomer).toEqual(['acme']);
  });

  it('stops waiting when the caller aborts, leaves the cascade running, and lets a retry join it', async () => {
    const requestId = newRequestId('ai-sdk-abort');
    const prompt = ticket('CHEAP-INVALID-JSON FLAGSHIP-SLOW');
    const providerOptions = { cascade: { requestId } };
    const flagshipBefore = harness.callsOf('flagship-model');

    const aborted = generateText({
      model: cascade('tickets'),
      prompt,
      providerOptions,
      abortSignal: AbortSignal.timeout(500),
    });
    await expect(aborted).rejects.toMatchObject({ name: expect.stringMatching(/AbortError|TimeoutError/) });

    const joined = await generateText({ model: cascade('tickets'), prompt, providerOptions });
    expect(joined.text).toBe('{"category": "account"}');
    expect(summaryOf(joined.providerMetadata)).toMatchObject({ outcome: 'escalated', existing: true });
    expect(harness.callsOf('flagship-model') - flagshipBefore).toBe(1);
  });

  it("gives up waiting after requestTimeoutMs, and the AI SDK's retry joins the same cascade", async () => {
    const impatient = createCascade({ client: harness.client, requestTimeoutMs: 1000 });
    const prompt = ticket('CHEAP-INVALID-JSON FLAGSHIP-SLOW');

    const timedOut = await failureOf(() => generateText({ model: impatient('tickets'), prompt, maxRetries: 0 }));
    expect(timedOut.statusCode).toBe(504);
    expect(timedOut.isRetryable).toBe(true);
    expect((timedOut.data as CascadeErrorData).type).toBe('CascadeWaitTimeout');

    // No request id given: the retry of the same call reuses the id generated for its prompt.
    const { result, cheap, flagship } = await countCalls(() =>
      generateText({ model: impatient('tickets'), prompt, maxRetries: 3 }),
    );
    expect(result.text).toBe('{"category": "account"}');
    expect(summaryOf(result.providerMetadata)).toMatchObject({ outcome: 'escalated', existing: true });
    expect(cheap).toBe(1);
    expect(flagship).toBe(1);
  });

  it('fails with a non-retryable APICallError when the flagship rejects the request', async () => {
    const error = await failureOf(() =>
      generateText({
        model: cascade('tickets'),
        prompt: ticket('CHEAP-INVALID-JSON FLAGSHIP-BAD-REQUEST'),
        maxRetries: 0,
      }),
    );
    expect(error.statusCode).toBe(502);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('failed (CascadeFailed)');
    expect(error.message).toContain('ProviderRequestRejected');
    const data = error.data as CascadeErrorData;
    expect(data.type).toBe('CascadeFailed');
    expect(error.url).toBe(`temporal://default/${encodeURIComponent(data.workflowId)}`);
    expect(data.details).toMatchObject({
      escalationReason: 'json_invalid',
      tiers: [
        expect.objectContaining({ tier: 'cheap', status: 'answered' }),
        expect.objectContaining({ tier: 'flagship', status: 'request_rejected' }),
      ],
    });
    const description = await harness.temporal.workflow.getHandle(data.workflowId).describe();
    expect(description.status.name).toBe('FAILED');
  });

  it('fails with a retryable APICallError when the flagship stays down', async () => {
    const error = await failureOf(() =>
      generateText({ model: cascade('tickets'), prompt: ticket('CHEAP-REFUSES FLAGSHIP-DOWN'), maxRetries: 0 }),
    );
    expect(error.statusCode).toBe(502);
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('ProviderUnavailable');
    expect((error.data as CascadeErrorData).type).toBe('CascadeFailed');
  });

  it('connects itself on the first call when given no client, and closes that connection', async () => {
    const connected = createCascade({
      connection: { address: harness.address, taskQueue: harness.taskQueue },
      routes: harness.routes,
    });
    expect(() => connected('no-such-route')).toThrow(NoSuchModelError);
    const result = await generateText({ model: connected('tickets'), prompt: ticket('plain') });
    expect(result.text).toBe('{"category": "billing"}');
    expect(summaryOf(result.providerMetadata).outcome).toBe('accepted');
    await connected.close();
  });

  it('refuses a route the client’s routes lack before starting anything', async () => {
    const error = await failureOf(() =>
      generateText({ model: cascade('no-such-route'), prompt: ticket('plain'), maxRetries: 0 }),
    );
    expect(error.statusCode).toBe(404);
    expect(error.isRetryable).toBe(false);
    expect((error.data as CascadeErrorData).type).toBe('UnknownRoute');
  });
});
