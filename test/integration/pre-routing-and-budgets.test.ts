import { ledgerTables } from '../../operations/ledger/ledger-schema';
import { randomUUID } from 'node:crypto';
import pMap from 'p-map';
import { Client as PostgresClient } from 'pg';
import OpenAI from 'openai';
import { APICallError } from '@ai-sdk/provider';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { startCascadeApi } from '../../api/cascade-api-server';
import { apiKeyHash, type ApiSettings } from '../../config/api-section';
import { CascadeFailedError } from '../../client/cascade-errors';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import { searchAttributes } from '../../contracts/search-attributes';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { PostgresCostLedger } from '../../operations/ledger/postgres-ledger';
import { decodeSummary, newRequestId, standardModels, startHarness, type Harness } from './cascade-harness';
import { preRoutingRoutesYaml } from './traffic-stack';

/**
 * Pre-routing and budgets on a real worker, against the local model server and a real PostgreSQL ledger.
 */

const postgresUrl = 'postgres://postgres@127.0.0.1:5432/test';
const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
const table = `cascade_ledger_traffic_${suffix}`;

let harness: Harness;
let ledger: PostgresCostLedger;
const metrics = new CascadeMetrics({ routeNames: ['tickets', 'routed'], processMetrics: false });

beforeAll(async () => {
  ledger = await PostgresCostLedger.connect({ connectionString: postgresUrl, table });
  harness = await startHarness({ models: standardModels(), routesYaml: preRoutingRoutesYaml, ledger, metrics });
});

afterAll(async () => {
  await harness?.stop();
  await ledger?.close();
  const postgres = new PostgresClient({ connectionString: postgresUrl });
  await postgres.connect();
  await postgres.query(`DROP TABLE IF EXISTS ${ledgerTables(table).join(', ')}`);
  await postgres.end();
});

function request(options: {
  route?: string;
  text?: string;
  customer?: string;
  tags?: Record<string, string>;
  outputSchema?: Record<string, unknown>;
}): CascadeRequest {
  return {
    requestId: newRequestId('traffic'),
    route: options.route ?? 'tickets',
    messages: [{ role: 'user', content: options.text ?? 'Ticket: my invoice is wrong, please classify.' }],
    tags: { ...(options.customer ? { customer: options.customer } : {}), ...options.tags },
    ...(options.outputSchema ? { outputSchema: options.outputSchema } : {}),
  };
}

async function outcomeOf(workflowId: string): Promise<string | undefined> {
  const description = await harness.temporal.workflow.getHandle(workflowId).describe();
  return description.typedSearchAttributes.get(searchAttributes.outcome);
}

async function failureOf(promise: Promise<unknown>): Promise<CascadeFailedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(CascadeFailedError.isInstance(error)).toBe(true);
  return error as CascadeFailedError;
}

/** What a request cost, or `undefined` when a budget refused it; any other failure is thrown. */
async function costUnlessRefused(ticket: CascadeRequest): Promise<number | undefined> {
  try {
    return (await harness.client.run(ticket)).cost.totalUsd;
  } catch (error) {
    if (CascadeFailedError.isInstance(error) && error.type === 'BudgetExceeded') return undefined;
    throw error;
  }
}

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = await metrics.registry.getSingleMetric(name)!.get();
  return metric.values
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);
}

async function ledgerSpend(customer: string): Promise<{ rows: number; usd: number }> {
  const postgres = new PostgresClient({ connectionString: postgresUrl });
  await postgres.connect();
  try {
    const result = await postgres.query<{ rows: number; usd: number }>(
      `SELECT count(*)::int AS rows, coalesce(sum(total_usd), 0)::double precision AS usd FROM ${table} WHERE customer = $1`,
      [customer],
    );
    return result.rows[0]!;
  } finally {
    await postgres.end();
  }
}

describe('pre-routing', () => {
  it('sends a request longer than the cheap context window straight to the flagship, recording why', async () => {
    const long = request({ route: 'routed', text: `Ticket: ${'my invoice is wrong again and again. '.repeat(60)}` });
    const before = { cheap: harness.callsOf('cheap-model'), flagship: harness.callsOf('flagship-model') };
    const result = await harness.client.run(long);
    expect(harness.callsOf('cheap-model') - before.cheap).toBe(0);
    expect(harness.callsOf('flagship-model') - before.flagship).toBe(1);
    expect(result).toMatchObject({
      outcome: 'pre_routed',
      escalationReason: 'context_window',
      answer: { tier: 'flagship', model: 'flagship-model' },
      preRouting: { reason: 'context_window' },
    });
    expect(result.preRouting!.detail).toMatch(/^\d+ input tokens > the cheap tier's context window of 200$/);
    expect(Number(result.preRouting!.detail.split(' ')[0])).toBeGreaterThan(200);
    expect(result.cost.savingUsd).toBe(0);
    const workflowId = `cascade-${long.requestId}`;
    expect(await outcomeOf(workflowId)).toBe('pre_routed');
    const events = await harness.history(workflowId);
    const summaries = events.map(decodeSummary).filter(Boolean);
    expect(summaries).toContain('pre-routing');
    expect(summaries).toContain('flagship · flagship-model · pre-routed · direct_to_flagship: context_window');
    expect(await counter('cascade_requests_total', { route: 'routed', outcome: 'pre_routed' })).toBeGreaterThanOrEqual(
      1,
    );
  });

  it('applies rules on tags, on the last user message (linear-time pattern) and on the output schema', async () => {
    const legal = await harness.client.run(request({ route: 'routed', tags: { team: 'legal' } }));
    expect(legal).toMatchObject({ outcome: 'pre_routed', escalationReason: 'rule: legal' });
    expect(legal.preRouting).toEqual({ reason: 'rule', rule: 'legal', detail: 'tags team=legal' });

    const traced = await harness.client.run(
      request({ route: 'routed', text: 'It crashed, here is the STACK  TRACE.' }),
    );
    expect(traced).toMatchObject({ outcome: 'pre_routed', escalationReason: 'rule: stack-traces' });

    const schema = { title: 'invoice', type: 'object', required: ['category'] };
    const invoice = await harness.client.run(request({ route: 'routed', outputSchema: schema }));
    expect(invoice).toMatchObject({ outcome: 'pre_routed', escalationReason: 'rule: invoices' });

    const plain = await harness.client.run(request({ route: 'routed', tags: { team: 'sales' } }));
    expect(plain).toMatchObject({ outcome: 'accepted', answer: { tier: 'cheap' } });
    expect(plain.preRouting).toBeUndefined();
  });
});

describe('budgets', () => {
  /** What one plain ticket costs on this stack (every plain ticket is the same request). */
  let ticketUsd: number;

  beforeAll(async () => {
    ticketUsd = (await harness.client.run(request({ customer: 'probe' }))).cost.totalUsd;
    expect(ticketUsd).toBeGreaterThan(0);
  });

  it('refuses a request at the hard cap before any model call, and says which budget and until when', async () => {
    await ledger.budgets.set({
      scope: 'customer',
      name: 'refuse-co',
      period: 'day',
      hardUsd: ticketUsd * 2.5,
      action: 'refuse',
    });
    for (let index = 0; index < 3; index += 1) await harness.client.run(request({ customer: 'refuse-co' }));
    const refused = request({ customer: 'refuse-co' });
    const before = harness.callsOf('cheap-model');
    const failure = await failureOf(harness.client.run(refused));
    expect(harness.callsOf('cheap-model')).toBe(before);
    expect(failure.type).toBe('BudgetExceeded');
    expect(failure.message).toMatch(
      /budget customer refuse-co, day is at its hard cap: \$[\d.]+ spent of \$[\d.e-]+ until \d{4}-\d\d-\d\dT00:00:00.000Z; the request was refused before any model call/,
    );
    expect(failure.details).toMatchObject({ refused: true, budget: { state: 'hard', limit: { name: 'refuse-co' } } });
    expect(await outcomeOf(`cascade-${refused.requestId}`)).toBe('refused');
    // The refusal is in the ledger at no cost, and the spend is the three answered tickets'.
    const spend = await ledgerSpend('refuse-co');
    expect(spend.rows).toBe(4);
    expect(spend.usd).toBeCloseTo(ticketUsd * 3, 12);
    // A route's budget refuses too.
    await ledger.budgets.set({ scope: 'route', name: 'routed', period: 'month', hardUsd: 0, action: 'refuse' });
    try {
      expect((await failureOf(harness.client.run(request({ route: 'routed' })))).type).toBe('BudgetExceeded');
    } finally {
      await ledger.budgets.remove({ scope: 'route', name: 'routed', period: 'month' });
    }
  });

  it('warns past the soft cap, in the result and the metrics', async () => {
    await ledger.budgets.set({ scope: 'customer', name: 'soft-co', period: 'month', softUsd: 0, action: 'refuse' });
    const result = await harness.client.run(request({ customer: 'soft-co' }));
    expect(result.outcome).toBe('accepted');
    expect(result.budget).toMatchObject({ state: 'soft', deciding: { limit: { name: 'soft-co', softUsd: 0 } } });
    expect(await counter('cascade_budget_state', { budget_name: 'soft-co' })).toBe(1);
  });

  it('holds a request to the cheap tier at a cheap-only hard cap, and says so', async () => {
    await ledger.budgets.set({ scope: 'customer', name: 'thrift-co', period: 'day', hardUsd: 0, action: 'cheap-only' });
    const accepted = await harness.client.run(request({ customer: 'thrift-co' }));
    expect(accepted).toMatchObject({ outcome: 'accepted', budget: { state: 'hard', action: 'cheap-only' } });

    const before = harness.callsOf('flagship-model');
    const held = await harness.client.run(
      request({ customer: 'thrift-co', text: 'Ticket CHEAP-OFF-SCHEMA: classify.' }),
    );
    expect(harness.callsOf('flagship-model')).toBe(before);
    expect(held).toMatchObject({
      outcome: 'cheap_only',
      answer: { tier: 'cheap', model: 'cheap-model', text: '{"category": "shipping"}' },
      verdict: { passed: false },
      budget: { state: 'hard', action: 'cheap-only' },
    });
    expect(held.escalationReason).toBeUndefined();

    const unanswered = await failureOf(
      harness.client.run(request({ customer: 'thrift-co', text: 'Ticket CHEAP-UNAVAILABLE: classify.' })),
    );
    expect(harness.callsOf('flagship-model')).toBe(before);
    expect(unanswered.type).toBe('BudgetExceeded');
    expect(unanswered.message).toContain('is at its hard cap: no escalation');
  });

  it('holds the cap under 200 requests, 10 in flight at a time: spend passes it by at most those in flight', async () => {
    const cap = ticketUsd * 39.5;
    await ledger.budgets.set({ scope: 'customer', name: 'busy-co', period: 'day', hardUsd: cap, action: 'refuse' });
    const inFlight = 10;
    const outcomes = await pMap(
      Array.from({ length: 200 }, () => request({ customer: 'busy-co' })),
      async (ticket) => {
        const costUsd = await costUnlessRefused(ticket);
        return { answered: costUsd !== undefined, costUsd: costUsd ?? 0 };
      },
      { concurrency: inFlight },
    );
    const answered = outcomes.filter((outcome) => outcome.answered);
    const spend = await ledgerSpend('busy-co');
    expect(spend.rows).toBe(200);
    // Every answered request is in the ledger once, at what its result says it cost.
    expect(spend.usd).toBeCloseTo(
      answered.reduce((total, outcome) => total + outcome.costUsd, 0),
      12,
    );
    expect(spend.usd).toBeGreaterThanOrEqual(cap);
    expect(spend.usd).toBeLessThan(cap + inFlight * ticketUsd + 1e-12);
    expect(answered.length).toBeGreaterThanOrEqual(40);
    expect(answered.length).toBeLessThan(40 + inFlight);
  });

  it('holds a nearly spent cap under a burst of 200 at once: only requests in flight pass it, every later one is refused', async () => {
    await ledger.budgets.set({
      scope: 'customer',
      name: 'burst-co',
      period: 'day',
      hardUsd: ticketUsd * 1.5,
      action: 'refuse',
    });
    await harness.client.run(request({ customer: 'burst-co' }));
    const burst = await Promise.all(
      Array.from({ length: 200 }, () => costUnlessRefused(request({ customer: 'burst-co' }))),
    );
    const answered = burst.filter((cost): cost is number => cost !== undefined);
    const spend = await ledgerSpend('burst-co');
    expect(spend.rows).toBe(201);
    // Each answered request was admitted under the cap, so it was in flight when the cap was reached.
    expect(spend.usd).toBeCloseTo(ticketUsd + answered.reduce((total, cost) => total + cost, 0), 12);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (let index = 0; index < 5; index += 1)
      expect((await failureOf(harness.client.run(request({ customer: 'burst-co' })))).type).toBe('BudgetExceeded');
    expect((await ledgerSpend('burst-co')).usd).toBeCloseTo(spend.usd, 12);
  });

  it('answers a refused request with 429 and Retry-After through the API, to the openai package and the AI SDK', async () => {
    await ledger.budgets.set({ scope: 'customer', name: 'api-co', period: 'day', hardUsd: 0, action: 'refuse' });
    const key = `key-${randomUUID()}`;
    const settings: ApiSettings = {
      requestTimeoutMs: 30_000,
      maximumBodyBytes: 64 * 1024,
      callers: [
        {
          name: 'api-co-app',
          keyHash: apiKeyHash(key),
          customer: 'api-co',
          routes: undefined,
          requestsPerMinute: undefined,
        },
      ],
    };
    const api = await startCascadeApi({
      cascades: harness.client,
      routes: harness.routes,
      taskQueue: harness.taskQueue,
      port: 0,
      settings,
    });
    try {
      const openai = new OpenAI({ baseURL: `${api.origin}/v1`, apiKey: key, maxRetries: 0 });
      const error = await openai.chat.completions
        .create({ model: 'tickets', messages: [{ role: 'user', content: 'Ticket: classify.' }] })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(OpenAI.RateLimitError);
      const rateLimited = error as InstanceType<typeof OpenAI.RateLimitError>;
      expect(rateLimited.status).toBe(429);
      expect(rateLimited.message).toContain('budget customer api-co, day is at its hard cap');
      const retryAfter = Number(rateLimited.headers?.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(86_400);

      const provider = createOpenAICompatible({ name: 'cascade', baseURL: `${api.origin}/v1`, apiKey: key });
      const sdkError = await generateText({
        model: provider('tickets'),
        prompt: 'Ticket: classify.',
        maxRetries: 0,
      }).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(APICallError.isInstance(sdkError)).toBe(true);
      expect((sdkError as APICallError).statusCode).toBe(429);
    } finally {
      await api.close();
    }
  });

  it('neither resets nor double-counts across a worker restart with a cascade in flight', async () => {
    await ledger.budgets.set({
      scope: 'customer',
      name: 'restart-co',
      period: 'day',
      hardUsd: 1_000,
      action: 'refuse',
    });
    await harness.client.run(request({ customer: 'restart-co' }));
    const before = await ledgerSpend('restart-co');
    // The flagship answers in 3 s; the worker stops while it does, and another takes the cascade over.
    const slow = request({ customer: 'restart-co', text: 'Ticket CHEAP-REFUSES FLAGSHIP-SLOW: classify.' });
    const started = await harness.client.start(slow);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await harness.stopWorker();
    await harness.startWorker();
    const result = await harness.client.result(started.workflowId);
    const after = await ledgerSpend('restart-co');
    expect(after.rows).toBe(before.rows + 1);
    expect(after.usd).toBeCloseTo(before.usd + result.cost.totalUsd, 12);
    const [standing] = await ledger.budgets.standings({ at: new Date(), customer: 'restart-co' });
    expect(standing!.spentUsd).toBeCloseTo(after.usd, 12);
    // The refusing budget of the first test still refuses on the new worker.
    expect((await failureOf(harness.client.run(request({ customer: 'refuse-co' })))).type).toBe('BudgetExceeded');
  });
});
