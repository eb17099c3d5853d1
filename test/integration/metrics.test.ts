import { CascadeFailedError } from '../../client/cascade-errors';
import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import type { RunningHttpServer } from '../../http/http-server';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { startMetricsServer } from '../../workers/metrics-server';
import { newRequestId, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

/** Real cascades on a real worker, then one scrape of its endpoint, checked against the results. */

let harness: Harness;
let server: RunningHttpServer;
const metrics = new CascadeMetrics({ routeNames: ['tickets'], customerLabelLimit: 2 });

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes(), metrics });
  server = await startMetricsServer({ registry: metrics.registry, port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await server?.close();
  await harness?.stop();
});

/** Samples of a Prometheus text scrape: `name{labels}` (labels in the exporter's order) to value. */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    found.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return found;
}

function sumOf(scrape: Map<string, number>, prefix: string, ...fragments: string[]): number {
  let total = 0;
  for (const [key, value] of scrape)
    if (key.startsWith(prefix) && fragments.every((fragment) => key.includes(fragment))) total += value;
  return total;
}

async function runTicket(marker: string, customer: string): Promise<CascadeResult | CascadeFailedError> {
  return harness.client
    .run({
      requestId: newRequestId('metrics'),
      route: 'tickets',
      messages: [{ role: 'user', content: `Ticket ${marker}: my invoice is wrong.` }],
      tags: { customer },
    })
    .catch((error: unknown) => {
      if (CascadeFailedError.isInstance(error)) return error;
      throw error;
    });
}

it('counts requests, durations, costs, calls and tokens as the results report them', async () => {
  // One after another, so the customers reach the label cap in a known order.
  const outcomes: Array<CascadeResult | CascadeFailedError> = [];
  for (const [marker, customer] of [
    ['plain', 'acme'],
    ['plain again', 'acme'],
    ['CHEAP-REFUSES', 'globex'],
    ['CHEAP-INVALID-JSON', 'initech'],
    ['CHEAP-REFUSES FLAGSHIP-BAD-REQUEST', 'initech'],
  ] as const)
    outcomes.push(await runTicket(marker, customer));
  const results = outcomes.filter((outcome): outcome is CascadeResult => !(outcome instanceof Error));
  expect(results.map((result) => result.outcome).sort()).toEqual(['accepted', 'accepted', 'escalated', 'escalated']);

  const response = await fetch(`${server.origin}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const scrape = samples(await response.text());

  // Requests by outcome and reason; the third customer is past the label cap of 2.
  expect(
    scrape.get('cascade_requests_total{route="tickets",outcome="accepted",escalation_reason="none",customer="acme"}'),
  ).toBe(2);
  expect(
    scrape.get(
      'cascade_requests_total{route="tickets",outcome="escalated",escalation_reason="refusal",customer="globex"}',
    ),
  ).toBe(1);
  expect(
    scrape.get(
      'cascade_requests_total{route="tickets",outcome="escalated",escalation_reason="json_invalid",customer="other"}',
    ),
  ).toBe(1);
  expect(sumOf(scrape, 'cascade_requests_total{', 'outcome="failed"')).toBe(1);
  expect(scrape.get('cascade_failures_total{route="tickets",failure_type="ProviderRequestRejected"}')).toBe(1);
  expect(scrape.get('cascade_duration_seconds_count{route="tickets",path="accepted"}')).toBe(2);
  expect(scrape.get('cascade_duration_seconds_count{route="tickets",path="escalated"}')).toBe(2);

  // Costs, to the results' figures (the failed cascade's cheap call is billed too).
  const failure = outcomes.find((outcome): outcome is CascadeFailedError => outcome instanceof Error)!;
  const failedCost = (failure.details as { cost: CascadeResult['cost'] }).cost;
  const costs = [...results.map((result) => result.cost), failedCost];
  const total = (pick: (cost: CascadeResult['cost']) => number) => costs.reduce((sum, cost) => sum + pick(cost), 0);
  expect(sumOf(scrape, 'cascade_cost_usd_total{', 'tier="cheap"')).toBeCloseTo(
    total((cost) => cost.cheapUsd),
    12,
  );
  expect(sumOf(scrape, 'cascade_cost_usd_total{', 'tier="flagship"')).toBeCloseTo(
    total((cost) => cost.flagshipUsd),
    12,
  );
  expect(sumOf(scrape, 'cascade_flagship_only_cost_usd_total{')).toBeCloseTo(
    total((cost) => cost.flagshipOnlyUsd),
    12,
  );

  // Model calls: five cheap answers, three flagship answers, and the flagship's refused attempt.
  expect(
    scrape.get(
      'cascade_model_call_attempts_total{cascade_tier="cheap",gen_ai_request_model="cheap-model",result="answered"}',
    ),
  ).toBe(5);
  expect(
    scrape.get(
      'cascade_model_call_attempts_total{cascade_tier="flagship",gen_ai_request_model="flagship-model",result="answered"}',
    ),
  ).toBe(2);
  expect(
    scrape.get(
      'cascade_model_call_attempts_total{cascade_tier="flagship",gen_ai_request_model="flagship-model",result="ProviderRequestRejected"}',
    ),
  ).toBe(1);
  expect(
    sumOf(scrape, 'gen_ai_client_operation_duration_seconds_count{', 'cascade_tier="cheap"', 'error_type=""'),
  ).toBe(5);

  // Tokens, to the results' per-call usage.
  const cheapInput = results
    .flatMap((result) => result.tiers)
    .filter((report) => report.tier === 'cheap')
    .reduce((sum, report) => sum + (report.usage?.inputTokens ?? 0), 0);
  const failedCheapInput = (failure.details as { tiers: CascadeResult['tiers'] }).tiers
    .filter((report) => report.tier === 'cheap')
    .reduce((sum, report) => sum + (report.usage?.inputTokens ?? 0), 0);
  expect(sumOf(scrape, 'gen_ai_client_token_usage_sum{', 'cascade_tier="cheap"', 'gen_ai_token_type="input"')).toBe(
    cheapInput + failedCheapInput,
  );

  // Bounded labels: no request id, no prompt.
  const text = [...scrape.keys()].join('\n');
  expect(text).not.toContain('metrics-');
  expect(text).not.toContain('invoice');
});
