import { APICallError, type LanguageModelV4CallOptions, type LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { CascadeClient, StartedCascade } from '../client/cascade-client';
import { CascadeFailedError } from '../client/cascade-errors';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { CascadeLanguageModel } from './cascade-language-model';

/** An escalated cascade: the cheap answer failed the gate, the flagship answered. */
function escalatedResult(overrides: Partial<CascadeResult['answer']> = {}): CascadeResult {
  return {
    requestId: 'ticket-1',
    route: 'tickets',
    outcome: 'escalated',
    answer: {
      tier: 'flagship',
      model: 'flagship-model',
      text: '{"category": "account"}',
      finishReason: 'stop',
      ...overrides,
    },
    escalationReason: 'json_invalid',
    verdict: {
      gate: 'json-schema',
      passed: false,
      score: 0,
      reasons: ['json_invalid'],
      detail: 'no valid JSON',
      children: [],
    },
    tiers: [
      {
        tier: 'cheap',
        model: 'cheap-model',
        status: 'answered',
        attempts: 1,
        latencyMs: 40,
        cost: { usd: 0.00001, source: 'override' },
        usage: { inputTokens: 30, outputTokens: 8 },
      },
      {
        tier: 'flagship',
        model: 'flagship-model',
        status: 'answered',
        attempts: 1,
        latencyMs: 90,
        cost: { usd: 0.0002, source: 'override' },
        usage: { inputTokens: 30, outputTokens: 7 },
      },
    ],
    cost: {
      totalUsd: 0.00021,
      cheapUsd: 0.00001,
      flagshipUsd: 0.0002,
      judgeUsd: 0,
      flagshipOnlyUsd: 0.0002,
      savingUsd: -0.00001,
    },
    tags: {},
    policy: { route: 'tickets' } as RoutePolicy,
  };
}

/** A `CascadeClient` stand-in that records what it was asked and answers as told. */
function fakeClient(options: { result: () => Promise<CascadeResult>; existing?: boolean }) {
  const started: CascadeRequest[] = [];
  const client = {
    start: async (request: CascadeRequest): Promise<StartedCascade> => {
      started.push(request);
      return { workflowId: `cascade-${request.requestId}`, existing: options.existing ?? false };
    },
    result: options.result,
    temporal: { options: { namespace: 'tenant-a' } },
  } as unknown as CascadeClient;
  return { client, started };
}

function modelOf(client: CascadeClient, options: { requestTimeoutMs?: number } = {}): CascadeLanguageModel {
  let generated = 0;
  return new CascadeLanguageModel({
    route: 'tickets',
    client: async () => client,
    webUiUrl: 'http://127.0.0.1:8233/',
    generateRequestId: () => `generated-${(generated += 1)}`,
    ...options,
  });
}

const call = (): LanguageModelV4CallOptions => ({
  prompt: [{ role: 'user', content: [{ type: 'text', text: 'My invoice is wrong.' }] }],
});

describe('CascadeLanguageModel', () => {
  it('answers with the text the gate let through, the cascade in providerMetadata and every billed token', async () => {
    const { client, started } = fakeClient({ result: async () => escalatedResult() });
    const result = await modelOf(client).doGenerate({ ...call(), topP: 0.5 });

    expect(started).toEqual([
      { requestId: 'generated-1', route: 'tickets', messages: [{ role: 'user', content: 'My invoice is wrong.' }] },
    ]);
    expect(result.content).toEqual([{ type: 'text', text: '{"category": "account"}' }]);
    expect(result.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(result.usage).toEqual({
      inputTokens: { total: 60, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: 15, text: 15, reasoning: undefined },
    });
    expect(result.providerMetadata).toEqual({
      cascade: {
        requestId: 'ticket-1',
        workflowId: 'cascade-generated-1',
        route: 'tickets',
        outcome: 'escalated',
        escalationReason: 'json_invalid',
        answeredBy: { tier: 'flagship', model: 'flagship-model' },
        verdict: { gate: 'json-schema', passed: false, score: 0, reasons: ['json_invalid'], detail: 'no valid JSON' },
        cost: escalatedResult().cost,
        existing: false,
        webUiUrl: 'http://127.0.0.1:8233/namespaces/tenant-a/workflows/cascade-generated-1',
      },
    });
    expect(result.response).toEqual({
      id: 'cascade-generated-1',
      modelId: 'flagship-model',
      timestamp: expect.any(Date),
    });
    expect(result.request).toEqual({ url: 'temporal://tenant-a/cascade-generated-1', body: started[0] });
    expect(result.warnings).toEqual([expect.objectContaining({ type: 'unsupported', feature: 'topP' })]);
  });

  it('maps the finish reason, and leaves usage no call reported undefined', async () => {
    const lengthResult = escalatedResult({ finishReason: 'length' });
    lengthResult.tiers = lengthResult.tiers.map(({ usage: _usage, ...tier }) => tier);
    const { client } = fakeClient({ result: async () => lengthResult });
    const result = await modelOf(client).doGenerate(call());
    expect(result.finishReason).toEqual({ unified: 'length', raw: 'length' });
    expect(result.usage.inputTokens.total).toBeUndefined();
    expect(result.usage.outputTokens.total).toBeUndefined();

    const { client: other } = fakeClient({ result: async () => escalatedResult({ finishReason: 'end_turn' }) });
    expect((await modelOf(other).doGenerate(call())).finishReason).toEqual({ unified: 'other', raw: 'end_turn' });
    const { client: old } = fakeClient({ result: async () => escalatedResult({ finishReason: undefined }) });
    expect((await modelOf(old).doGenerate(call())).finishReason).toEqual({ unified: 'stop', raw: undefined });
  });

  it('gives a retry of the same prompt the same generated request id, and a new prompt a new one', async () => {
    const { client, started } = fakeClient({ result: async () => escalatedResult() });
    const model = modelOf(client);
    const first = call();
    await model.doGenerate(first);
    await model.doGenerate({ ...first });
    await model.doGenerate(call());
    expect(started.map((request) => request.requestId)).toEqual(['generated-1', 'generated-1', 'generated-2']);
  });

  it('streams the whole answer after the cascade has ended', async () => {
    const text = 'The charge is the annual renewal of your plan, billed on the first of the month. '.repeat(2);
    const { client } = fakeClient({ result: async () => escalatedResult({ text }), existing: true });
    const { stream, request } = await modelOf(client).doStream(call());
    const parts: LanguageModelV4StreamPart[] = [];
    for await (const part of stream) parts.push(part);

    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    expect(parts.flatMap((part) => (part.type === 'text-delta' ? [part.delta] : [])).join('')).toBe(text);
    const finish = parts[parts.length - 1];
    expect(finish).toMatchObject({
      type: 'finish',
      finishReason: { unified: 'stop' },
      providerMetadata: { cascade: { outcome: 'escalated', existing: true, workflowId: 'cascade-generated-1' } },
    });
    expect(request).toMatchObject({ url: 'temporal://tenant-a/cascade-generated-1' });
  });

  it('stops waiting on abort with the abort reason, and leaves the cascade running', async () => {
    let resolveResult: (result: CascadeResult) => void = () => undefined;
    const { client, started } = fakeClient({
      result: () => new Promise<CascadeResult>((resolve) => (resolveResult = resolve)),
    });
    const controller = new AbortController();
    const generating = modelOf(client).doGenerate({ ...call(), abortSignal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(generating).rejects.toMatchObject({ name: 'AbortError' });
    expect(started).toHaveLength(1);
    resolveResult(escalatedResult());

    const aborted = new AbortController();
    aborted.abort(new Error('caller gave up'));
    await expect(modelOf(client).doGenerate({ ...call(), abortSignal: aborted.signal })).rejects.toThrow(
      'caller gave up',
    );
    expect(started).toHaveLength(1);
  });

  it('fails a wait longer than requestTimeoutMs with a retryable APICallError', async () => {
    const { client } = fakeClient({ result: () => new Promise<CascadeResult>(() => undefined) });
    const error = await modelOf(client, { requestTimeoutMs: 20 })
      .doGenerate(call())
      .catch((thrown: unknown) => thrown);
    expect(APICallError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      statusCode: 504,
      isRetryable: true,
      url: 'temporal://tenant-a/cascade-generated-1',
      data: { type: 'CascadeWaitTimeout', workflowId: 'cascade-generated-1' },
    });
  });

  it('surfaces a failed cascade as an APICallError with its type', async () => {
    const { client } = fakeClient({
      result: async () => {
        throw new CascadeFailedError({
          message: 'the flagship tier (flagship-model) gave no answer: ProviderUnavailable',
          type: 'CascadeFailed',
          workflowId: 'cascade-generated-1',
          details: { tiers: [{ tier: 'flagship', errorType: 'ProviderUnavailable' }] },
        });
      },
    });
    const error = await modelOf(client)
      .doGenerate(call())
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      statusCode: 502,
      isRetryable: true,
      data: { type: 'CascadeFailed', workflowId: 'cascade-generated-1' },
    });
    expect((error as Error).message).toContain('failed (CascadeFailed): the flagship tier');
  });
});
