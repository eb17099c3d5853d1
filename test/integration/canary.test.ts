import { randomUUID } from 'node:crypto';
import {
  canaryBudgetWorkflowIdOf,
  canarySampled,
  canaryWorkflowIdOf,
  type CanaryCheckResult,
} from '../../contracts/cascade/canary';
import { utcDayOf, type CanaryBudgetState } from '../../contracts/cascade/canary-budget';
import { searchAttributes } from '../../contracts/search-attributes';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

jest.setTimeout(120_000);

/** `tickets` with a canary of every accepted request, compared by the JSON field `category`, $0.001 a day. */
function canaryRoutes(options: { route: string; share: string; maxUsdPerDay: number }): string {
  return `  ${options.route}:
    cheap:
      model: cheap
      timeout: 2s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 200ms, maximumAttempts: 2 }
    flagship:
      model: flagship
      timeout: 5s
      retry: { initialInterval: 100ms, backoffCoefficient: 2, maximumInterval: 400ms, maximumAttempts: 3 }
    gate: { kind: json-schema, schema: { type: object, required: [category] } }
    canary: { share: ${options.share}, maxUsdPerDay: ${options.maxUsdPerDay}, compare: { kind: json-field, field: category } }
`;
}

/** A request id the route's canary samples (or, with `sampled: false`, leaves out) at `share`. */
function requestIdFor(label: string, share: number, sampled = true): string {
  for (;;) {
    const id = `${label}-${randomUUID()}`;
    if (canarySampled(id, share) === sampled) return id;
  }
}

const metrics = new CascadeMetrics({ routeNames: ['canaried', 'half', 'budgeted'], processMetrics: false });
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    models: standardModels(),
    routesYaml:
      standardRoutes() +
      canaryRoutes({ route: 'canaried', share: '100%', maxUsdPerDay: 10 }) +
      canaryRoutes({ route: 'half', share: '50%', maxUsdPerDay: 10 }) +
      // The flagship's answer to one of these prompts costs about $0.00011: two fit, the third does not.
      canaryRoutes({ route: 'budgeted', share: '100%', maxUsdPerDay: 0.00025 }),
    metrics,
  });
});

afterAll(async () => {
  await harness?.stop();
});

async function canaryOf(requestId: string): Promise<CanaryCheckResult> {
  return harness.temporal.workflow.getHandle(canaryWorkflowIdOf(requestId)).result();
}

describe('the canary of accepted answers', () => {
  it('answers first, then asks the flagship in the background and records whether it agreed', async () => {
    const requestId = requestIdFor('canary-slow', 1);
    const result = await harness.client.run({
      requestId,
      route: 'canaried',
      messages: [{ role: 'user', content: 'FLAGSHIP-SLOW my invoice is wrong' }],
    });
    expect(result.outcome).toBe('accepted');
    // The flagship takes 3 s to answer the canary; the cascade did not wait for it.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    console.log(
      'DEBUG',
      (await harness.history(result.workflowId)).map((event) => event.eventType),
    );
    console.log(
      'DEBUG2',
      await harness.temporal.workflow
        .getHandle(canaryWorkflowIdOf(requestId))
        .describe()
        .then(
          (d) => d.status.name,
          (e) => String(e),
        ),
    );
    const cascade = await harness.temporal.workflow.getHandle(result.workflowId).describe();
    const canaryHandle = harness.temporal.workflow.getHandle(canaryWorkflowIdOf(requestId));
    expect((await canaryHandle.describe()).status.name).toBe('RUNNING');
    expect(cascade.closeTime!.getTime() - cascade.startTime.getTime()).toBeLessThan(2_000);

    const canary = await canaryOf(requestId);
    expect(canary).toMatchObject({
      requestId,
      route: 'canaried',
      result: 'disagreed',
      accepted: 'billing',
      flagship: 'account',
      detail: 'JSON field "category": accepted "billing", flagship "account"',
    });
    expect(canary.costUsd).toBeGreaterThan(0);
    const description = await canaryHandle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.canaryResult)).toBe('disagreed');
    expect(description.typedSearchAttributes.get(searchAttributes.route)).toBe('canaried');
    expect(description.typedSearchAttributes.get(searchAttributes.costUsd)).toBeCloseTo(canary.costUsd, 12);
    // The cascade's own cost does not include the canary's.
    expect(result.cost.flagshipUsd).toBe(0);
  });

  it('counts agreement and canary spend in the metrics, apart from the cascades’ cost', async () => {
    const requestId = requestIdFor('canary-agrees', 1);
    await harness.client.run({
      requestId,
      route: 'canaried',
      messages: [{ role: 'user', content: 'FLAGSHIP-SAYS-BILLING charged twice' }],
    });
    const canary = await canaryOf(requestId);
    expect(canary.result).toBe('agreed');
    const comparisons = await metrics.registry.getSingleMetric('cascade_canary_comparisons_total')!.get();
    const count = (result: string) =>
      comparisons.values.find((value) => value.labels.route === 'canaried' && value.labels.result === result)?.value;
    expect(count('agreed')).toBe(1);
    expect(count('disagreed')).toBe(1);
    const spend = await metrics.registry.getSingleMetric('cascade_canary_cost_usd_total')!.get();
    expect(spend.values.find((value) => value.labels.route === 'canaried')?.value).toBeGreaterThan(canary.costUsd);
    const cascadeCost = await metrics.registry.getSingleMetric('cascade_cost_usd_total')!.get();
    expect(
      cascadeCost.values.find((value) => value.labels.route === 'canaried' && value.labels.tier === 'flagship')
        ?.value ?? 0,
    ).toBe(0);
  });

  it('samples the same requests every time: a request outside the share gets no canary', async () => {
    const outside = requestIdFor('canary-outside', 0.5, false);
    const inside = requestIdFor('canary-inside', 0.5, true);
    for (const requestId of [outside, inside]) {
      await harness.client.run({ requestId, route: 'half', messages: [{ role: 'user', content: 'refund please' }] });
    }
    expect((await canaryOf(inside)).result).toBe('disagreed');
    await expect(harness.temporal.workflow.getHandle(canaryWorkflowIdOf(outside)).describe()).rejects.toThrow(
      /not found/i,
    );
  });

  it('stops at the daily budget, and a worker restart neither resets nor double-counts it', async () => {
    const canaries: CanaryCheckResult[] = [];
    for (let index = 0; index < 3; index += 1) {
      const requestId = requestIdFor(`canary-budget-${index}`, 1);
      await harness.client.run({ requestId, route: 'budgeted', messages: [{ role: 'user', content: 'where is it' }] });
      canaries.push(await canaryOf(requestId));
    }
    expect(canaries.map((canary) => canary.result)).toEqual(['disagreed', 'disagreed', 'skipped_budget']);

    await harness.stopWorker();
    await harness.startWorker();
    const afterRestart = requestIdFor('canary-budget-after-restart', 1);
    await harness.client.run({
      requestId: afterRestart,
      route: 'budgeted',
      messages: [{ role: 'user', content: 'where is it' }],
    });
    const canary = await canaryOf(afterRestart);
    expect(canary.result).toBe('skipped_budget');
    expect(canary.costUsd).toBe(0);
    // The day's budget, as its entity workflow holds it: the two paid canaries, once each.
    const budget = await harness.temporal.workflow
      .getHandle(canaryBudgetWorkflowIdOf('budgeted', utcDayOf(new Date())))
      .query<CanaryBudgetState>('state');
    expect(budget.spentUsd).toBeCloseTo(canaries[0]!.costUsd + canaries[1]!.costUsd, 12);
    expect(Object.keys(budget.settled)).toHaveLength(2);
    expect(budget.reservations).toEqual({});
    expect(budget.refused).toBe(2);
    expect(canary.detail).toMatch(
      /^the \d{4}-\d{2}-\d{2} canary budget of budgeted is spent: \$0\.000\d+ paid and \$0 held of \$0\.000\d$/,
    );
  });
});
