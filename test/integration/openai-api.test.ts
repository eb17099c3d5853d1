import { randomUUID } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { generate } from 'selfsigned';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import OpenAI from 'openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, Output, streamText } from 'ai';
import { z } from 'zod';
import { startCascadeApi } from '../../api/cascade-api-server';
import { apiKeyHash, type ApiCaller, type ApiSettings } from '../../config/api-section';
import type { RunningHttpServer } from '../../http/http-server';
import {
  countStandardCalls,
  requestSchemaRoute,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from './cascade-harness';

/**
 * `cascade serve` driven by clients nobody here wrote: the official `openai` package and the AI SDK's
 * OpenAI-compatible provider, against a real Temporal dev server, a real worker and the local model server.
 */

const mainKey = `key-main-${randomUUID()}`;
const extractOnlyKey = `key-extract-${randomUUID()}`;
const slowCallerKey = `key-rate-${randomUUID()}`;

const extractRoute = requestSchemaRoute('extract');

function caller(name: string, key: string, options: Partial<ApiCaller> = {}): ApiCaller {
  return {
    name,
    keyHash: apiKeyHash(key),
    customer: undefined,
    routes: undefined,
    requestsPerMinute: undefined,
    ...options,
  };
}

const settings: ApiSettings = {
  requestTimeoutMs: 60_000,
  maximumBodyBytes: 64 * 1024,
  callers: [
    caller('main-app', mainKey, { customer: 'acme' }),
    caller('extractor', extractOnlyKey, { routes: ['extract'] }),
    caller('rate-limited', slowCallerKey, { requestsPerMinute: 1 }),
  ],
};

let harness: Harness;
let api: RunningHttpServer;
let impatientApi: RunningHttpServer;
let openai: OpenAI;

beforeAll(async () => {
  harness = await startHarness({
    models: standardModels(),
    routesYaml: `${standardRoutes({ flagshipOnlyRoute: true })}${extractRoute}`,
  });
  const common = { cascades: harness.client, routes: harness.routes, taskQueue: harness.taskQueue, port: 0 };
  api = await startCascadeApi({ ...common, settings, webUiUrl: 'http://127.0.0.1:8233' });
  // Answers 504 after one second: the budget of a request is shorter than a slow flagship.
  impatientApi = await startCascadeApi({ ...common, settings: { ...settings, requestTimeoutMs: 1_000 } });
  openai = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: mainKey, maxRetries: 0 });
});

afterAll(async () => {
  await api?.close();
  await impatientApi?.close();
  await harness?.stop();
});

const countCalls = <T>(action: () => Promise<T>) => countStandardCalls(harness, action);

type CascadeField = {
  cascade: {
    outcome: string;
    escalationReason?: string;
    workflowId: string;
    existing: boolean;
    webUiUrl?: string;
    cost: { totalUsd: number; flagshipOnlyUsd: number };
    verdict?: { passed: boolean };
  };
};

/** POSTs JSON over HTTPS trusting `ca`, the certificate of a test server. */
function postOverTls(
  url: string,
  options: { ca: string; headers: Record<string, string>; body: unknown },
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      url,
      { method: 'POST', ca: options.ca, headers: { 'content-type': 'application/json', ...options.headers } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(options.body));
  });
}

/** A history's JSON with every payload's data decoded, as text one can search. */
function historyText(json: string): string {
  const payloads = [...json.matchAll(/"data":"([A-Za-z0-9+/=]+)"/g)].map((match) =>
    Buffer.from(match[1]!, 'base64').toString('utf8'),
  );
  return `${json}\n${payloads.join('\n')}`;
}

async function expectApiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OpenAI.APIError);
    return error as InstanceType<typeof OpenAI.APIError>;
  }
  throw new Error('expected the request to fail');
}

describe('the openai package', () => {
  it('gets an accepted cheap answer with usage, the cascade object and its headers', async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      openai.chat.completions
        .create({ model: 'tickets', messages: [{ role: 'user', content: 'Ticket: I was charged twice.' }] })
        .withResponse(),
    );
    const completion = result.data as typeof result.data & CascadeField;
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('cheap-model');
    expect(completion.choices[0]!.message.content).toBe('{"category": "billing"}');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    expect(completion.cascade.outcome).toBe('accepted');
    expect(completion.cascade.verdict?.passed).toBe(true);
    expect(completion.cascade.cost.totalUsd).toBeLessThan(completion.cascade.cost.flagshipOnlyUsd);
    expect(completion.cascade.webUiUrl).toBe(
      `http://127.0.0.1:8233/namespaces/default/workflows/${encodeURIComponent(completion.cascade.workflowId)}`,
    );
    expect(result.response.headers.get('x-cascade-outcome')).toBe('accepted');
    expect(result.response.headers.get('x-cascade-workflow-id')).toBe(completion.cascade.workflowId);
    expect(Number(result.response.headers.get('x-cascade-cost-usd'))).toBeCloseTo(completion.cascade.cost.totalUsd, 8);
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 0 });

    // The caller's key decides the customer tag, and the caller is tagged; the key itself is nowhere in history.
    const described = await harness.temporal.workflow.getHandle(completion.cascade.workflowId).result();
    expect(described.tags).toEqual(expect.objectContaining({ customer: 'acme', caller: 'main-app' }));
    const history = historyText(
      historyToJSON(await harness.temporal.workflow.getHandle(completion.cascade.workflowId).fetchHistory()),
    );
    expect(history).toContain('main-app');
    expect(history).not.toContain(mainKey);
  });

  it('gets the flagship answer of an escalated request, as `model`, with the reason', async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      openai.chat.completions
        .create({
          model: 'cascade/tickets',
          messages: [
            { role: 'system', content: 'Classify the ticket.' },
            { role: 'user', content: 'Ticket CHEAP-REFUSES: my account is locked.' },
          ],
          user: 'user-42',
          metadata: { feature: 'triage' },
        })
        .withResponse(),
    );
    const completion = result.data as typeof result.data & CascadeField;
    expect(completion.model).toBe('flagship-model');
    expect(completion.choices[0]!.message.content).toBe('{"category": "account"}');
    expect(completion.cascade).toEqual(expect.objectContaining({ outcome: 'escalated', escalationReason: 'refusal' }));
    expect(result.response.headers.get('x-cascade-escalation-reason')).toBe('refusal');
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 1 });
    const described = await harness.temporal.workflow.getHandle(completion.cascade.workflowId).result();
    expect(described.tags).toEqual(expect.objectContaining({ user: 'user-42', feature: 'triage', customer: 'acme' }));
  });

  it('streams the answer the gate accepted, ending with a usage chunk and [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'tickets',
      messages: [{ role: 'user', content: 'Ticket CHEAP-OFF-SCHEMA: where is my parcel?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    // The cheap answer is off the schema: only the flagship's answer is ever sent.
    expect(text).toBe('{"category": "account"}');
    expect(chunks.every((chunk) => chunk.model === 'flagship-model')).toBe(true);
    const finishing = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finishing?.choices[0]?.finish_reason).toBe('stop');
    expect((finishing as unknown as CascadeField).cascade.escalationReason).toBe('schema_invalid');
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.total_tokens).toBeGreaterThan(0);
  });

  it("holds the cheap answer to the request's JSON schema", async () => {
    const schema = {
      type: 'object',
      required: ['category'],
      properties: { category: { enum: ['account'] } },
      additionalProperties: false,
    };
    const { result, cheap, flagship } = await countCalls(() =>
      openai.chat.completions.create({
        model: 'extract',
        messages: [{ role: 'user', content: 'Ticket: I cannot log in.' }],
        response_format: { type: 'json_schema', json_schema: { name: 'ticket', schema, strict: true } },
      }),
    );
    const completion = result as typeof result & CascadeField;
    // The cheap model says billing, which the schema forbids: the gate escalates.
    expect(completion.cascade).toEqual(
      expect.objectContaining({ outcome: 'escalated', escalationReason: 'schema_invalid' }),
    );
    expect(JSON.parse(completion.choices[0]!.message.content!)).toEqual({ category: 'account' });
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 1 });
  });

  it('bills a request retried under the same Idempotency-Key once', async () => {
    const key = `retry-${randomUUID()}`;
    const body = { model: 'tickets', messages: [{ role: 'user' as const, content: 'Ticket: refund please.' }] };
    const { result, cheap, flagship } = await countCalls(async () => {
      const first = await openai.chat.completions.create(body, { headers: { 'Idempotency-Key': key } });
      const second = await openai.chat.completions.create(body, { headers: { 'Idempotency-Key': key } });
      // The key is taken: another request under it is refused, not answered with the first one's answer.
      const reused = await expectApiError(
        openai.chat.completions.create(
          { ...body, messages: [{ role: 'user', content: 'Ticket: a different question.' }] },
          { headers: { 'Idempotency-Key': key } },
        ),
      );
      expect({ status: reused.status, code: reused.code }).toEqual({ status: 422, code: 'idempotency_key_reused' });
      return [first, second] as Array<typeof first & CascadeField>;
    });
    expect(result[0]!.cascade.existing).toBe(false);
    expect(result[1]!.cascade.existing).toBe(true);
    expect(result[1]!.cascade.workflowId).toBe(result[0]!.cascade.workflowId);
    expect(result[1]!.choices[0]!.message.content).toBe(result[0]!.choices[0]!.message.content);
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 0 });
  });

  it('answers 504 when the cascade outlasts the time budget, and the same key fetches the answer later', async () => {
    const key = `slow-${randomUUID()}`;
    const body = {
      model: 'tickets',
      messages: [{ role: 'user' as const, content: 'Ticket CHEAP-REFUSES FLAGSHIP-SLOW: the app crashes.' }],
    };
    const impatient = new OpenAI({ baseURL: `${impatientApi.origin}/v1`, apiKey: mainKey, maxRetries: 0 });
    const { result, cheap, flagship } = await countCalls(async () => {
      const error = await expectApiError(
        impatient.chat.completions.create(body, { headers: { 'Idempotency-Key': key } }),
      );
      const later = await openai.chat.completions.create(body, { headers: { 'Idempotency-Key': key } });
      return { error, later: later as typeof later & CascadeField };
    });
    expect(result.error.status).toBe(504);
    expect(result.error.message).toContain(`Idempotency-Key: ${key}`);
    expect(result.error.headers?.get('x-cascade-workflow-id')).toBe(result.later.cascade.workflowId);
    expect(result.later.cascade).toEqual(expect.objectContaining({ outcome: 'escalated', existing: true }));
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 1 });
  });

  it("answers 504 after the request's own time budget, X-Cascade-Timeout-Ms, within the server's", async () => {
    const body = {
      model: 'tickets',
      messages: [{ role: 'user' as const, content: 'Ticket CHEAP-REFUSES FLAGSHIP-SLOW: budget of its own.' }],
    };
    const hurried = await expectApiError(
      openai.chat.completions.create(body, { headers: { 'x-cascade-timeout-ms': '800' } }),
    );
    expect(hurried.status).toBe(504);
    expect(hurried.message).toContain('within 800 ms');
    const beyond = await expectApiError(
      openai.chat.completions.create(body, { headers: { 'x-cascade-timeout-ms': String(10 * 60_000) } }),
    );
    expect({ status: beyond.status, param: beyond.param }).toEqual({ status: 400, param: 'x-cascade-timeout-ms' });
  });

  it('lets the cascade of a caller that disconnects finish', async () => {
    const key = `gone-${randomUUID()}`;
    const controller = new AbortController();
    const request = openai.chat.completions.create(
      {
        model: 'tickets',
        messages: [{ role: 'user', content: 'Ticket CHEAP-REFUSES FLAGSHIP-SLOW: the export hangs.' }],
      },
      { headers: { 'Idempotency-Key': key }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 500);
    await expect(request).rejects.toThrow();
    const workflowId = `cascade-api:main-app:${key}`;
    const result = await harness.temporal.workflow.getHandle(workflowId).result();
    expect(result.outcome).toBe('escalated');
  });

  it('answers each refusal with its status and OpenAI error shape', async () => {
    const empty = await expectApiError(openai.chat.completions.create({ model: 'tickets', messages: [] }));
    expect({ status: empty.status, param: empty.param, type: empty.type }).toEqual({
      status: 400,
      param: 'messages',
      type: 'invalid_request_error',
    });
    const tool = await expectApiError(
      openai.chat.completions.create({
        model: 'tickets',
        messages: [
          { role: 'tool', content: 'x', tool_call_id: 'a' },
          { role: 'user', content: 'hi' },
        ],
      }),
    );
    expect({ status: tool.status, param: tool.param }).toEqual({ status: 400, param: 'messages[0].role' });

    const wrongKey = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: 'not-a-key', maxRetries: 0 });
    const unauthorized = await expectApiError(wrongKey.chat.completions.create({ model: 'tickets', messages: [] }));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);

    const extractor = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: extractOnlyKey, maxRetries: 0 });
    const forbidden = await expectApiError(
      extractor.chat.completions.create({ model: 'tickets', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(forbidden.status).toBe(403);
    expect(forbidden).toBeInstanceOf(OpenAI.PermissionDeniedError);

    const unknown = await expectApiError(
      openai.chat.completions.create({ model: 'no-such-route', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect({ status: unknown.status, param: unknown.param }).toEqual({ status: 404, param: 'model' });

    const large = await expectApiError(
      openai.chat.completions.create({ model: 'tickets', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }),
    );
    expect(large.status).toBe(413);

    const limited = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: slowCallerKey, maxRetries: 0 });
    await limited.chat.completions.create({ model: 'tickets', messages: [{ role: 'user', content: 'Ticket: one.' }] });
    const overRate = await expectApiError(
      limited.chat.completions.create({ model: 'tickets', messages: [{ role: 'user', content: 'Ticket: two.' }] }),
    );
    expect(overRate.status).toBe(429);
    expect(Number(overRate.headers?.get('retry-after'))).toBeGreaterThan(0);

    const failed = await countCalls(() =>
      expectApiError(
        openai.chat.completions.create({
          model: 'tickets',
          messages: [{ role: 'user', content: 'Ticket CHEAP-REFUSES FLAGSHIP-DOWN: nothing works.' }],
        }),
      ),
    );
    expect(failed.result.status).toBe(502);
    expect(failed.result.code).toBe('CascadeFailed');
    expect(failed.result.headers?.get('x-cascade-outcome')).toBe('failed');
    expect(failed.cheap).toBe(1);
  });

  it('serves HTTPS with a configured certificate', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const secure = await startCascadeApi({
      cascades: harness.client,
      routes: harness.routes,
      taskQueue: harness.taskQueue,
      port: 0,
      settings,
      tls: { cert: pems.cert, key: pems.private },
    });
    try {
      expect(secure.origin.startsWith('https://127.0.0.1:')).toBe(true);
      const answer = await postOverTls(`${secure.origin}/v1/chat/completions`, {
        ca: pems.cert,
        headers: { authorization: `Bearer ${mainKey}` },
        body: { model: 'tickets', messages: [{ role: 'user', content: 'Ticket: charged twice, over TLS.' }] },
      });
      expect(answer.status).toBe(200);
      expect((answer.body as CascadeField).cascade.outcome).toBe('accepted');
      // Plain HTTP to the TLS port is not answered as HTTP.
      await expect(fetch(secure.origin.replace('https:', 'http:') + '/healthz')).rejects.toThrow();
    } finally {
      await secure.close();
    }
  });

  it('lists the routes a key may use as models, and serves health and readiness', async () => {
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id).sort()).toEqual(['extract', 'tickets', 'tickets-direct']);
    const extractor = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: extractOnlyKey, maxRetries: 0 });
    expect((await extractor.models.list()).data.map((model) => model.id)).toEqual(['extract']);
    expect((await extractor.models.retrieve('extract')).id).toBe('extract');

    expect((await fetch(`${api.origin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${api.origin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual(expect.objectContaining({ ready: true, temporal: 'reachable' }));

    // No worker polls this queue: alive, not ready.
    const idleQueue = `nobody-polls-${randomUUID()}`;
    const idle = await startCascadeApi({
      cascades: harness.client,
      routes: harness.routes,
      taskQueue: idleQueue,
      port: 0,
      settings,
    });
    try {
      expect((await fetch(`${idle.origin}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${idle.origin}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toEqual(
        expect.objectContaining({ ready: false, workers: 0, problem: `no worker polls the task queue ${idleQueue}` }),
      );
    } finally {
      await idle.close();
    }
  });
});

describe("the AI SDK's OpenAI-compatible provider", () => {
  const provider = () =>
    createOpenAICompatible({ name: 'cascade', baseURL: `${api.origin}/v1`, apiKey: mainKey, includeUsage: true });

  it('runs generateText through the served API', async () => {
    const { result, cheap } = await countCalls(() =>
      generateText({ model: provider()('tickets'), prompt: 'Ticket: double charge on my card.', maxRetries: 0 }),
    );
    expect(result.text).toBe('{"category": "billing"}');
    expect(result.response.modelId).toBe('cheap-model');
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(cheap).toBe(1);
  });

  it('runs streamText through the served API', async () => {
    const result = streamText({
      model: provider()('tickets'),
      prompt: 'Ticket CHEAP-INVALID-JSON: the page is blank.',
      maxRetries: 0,
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('{"category": "account"}');
    expect((await result.usage).totalTokens).toBeGreaterThan(0);
    expect(await result.finishReason).toBe('stop');
  });

  it("holds structured output to the caller's schema through the served API", async () => {
    const structured = createOpenAICompatible({
      name: 'cascade',
      baseURL: `${api.origin}/v1`,
      apiKey: mainKey,
      supportsStructuredOutputs: true,
    });
    const { result, cheap, flagship } = await countCalls(() =>
      generateText({
        model: structured('extract'),
        prompt: 'Ticket: I cannot log in to my account.',
        output: Output.object({ schema: z.object({ category: z.enum(['account']) }) }),
        maxRetries: 0,
      }),
    );
    // The cheap model's billing is off the caller's schema: the gate escalates, and the flagship's answer parses.
    expect(result.output).toEqual({ category: 'account' });
    expect(result.response.modelId).toBe('flagship-model');
    expect({ cheap, flagship }).toEqual({ cheap: 1, flagship: 1 });
  });
});
