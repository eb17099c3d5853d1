import { randomUUID } from 'node:crypto';
import {
  canaryBudgetWorkflowIdOf,
  canarySampled,
  canaryWorkflowIdOf,
  type CanaryCheckResult,
} from '../../contracts/cascade/canary';
import { utcDayOf, type CanaryBudgetState } from '../../contracts/cascade/canary-budget';
import { summarizeCanaries, type CanarySummary } from '../../operations/reporting/canary-summary';
import { buildGroupedReport } from '../../operations/reporting/grouped-report';
import { renderReport } from '../../operations/reporting/report-output';
import { readCanaries } from '../../operations/reporting/visibility-canary-reader';
import type { escalationDriftCheck } from '../../workflows/escalation-drift-check';
import { searchAttributes } from '../../contracts/search-attributes';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { canaryRoute, standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

jest.setTimeout(120_000);

/** A request id the route's canary samples (or, with `sampled: false`, leaves out) at `share`. */
function requestIdFor(label: string, share: number, sampled = true): string {
  for (;;) {
    const id = `${label}-${randomUUID()}`;
    if (canarySampled(id, share) === sampled) return id;
  }
}

const metrics = new CascadeMetrics({
  routeNames: ['canaried', 'half', 'budgeted', 'judged'],
  processMetrics: false,
});
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({
    models: [
      ...standardModels(),
      {
        id: 'judge-model',
        rules: [
          { whenContains: 'JUDGE-DISAGREES', respond: { text: '{"score": 0.1, "reason": "another category"}' } },
          { whenContains: 'JUDGE-DOWN', respond: { text: '{}', faults: [{ status: 500, times: 100 }] } },
        ],
        default: { text: '{"score": 0.9, "reason": "the same category"}' },
      },
    ],
    routesYaml:
      standardRoutes() +
      canaryRoute({ route: 'canaried', share: '100%', maxUsdPerDay: 10 }) +
      canaryRoute({ route: 'half', share: '50%', maxUsdPerDay: 10 }) +
      // The flagship's answer to one of these prompts costs about $0.00011: two fit, the third does not.
      canaryRoute({ route: 'budgeted', share: '100%', maxUsdPerDay: 0.00025 }) +
      canaryRoute({ route: 'judged', share: '100%', maxUsdPerDay: 10 }).replace(
        '{ kind: json-field, field: category }',
        '{ kind: judge, model: { provider: openai, model: judge-model, baseUrl: "${MODEL_SERVER_URL}", apiKeyEnv: ${API_KEY_ENV}, price: { inputPerMillionUsd: 0.15, outputPerMillionUsd: 0.6 } } }',
      ),
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

  it("shows each route's agreement with its interval in the report, and the drift check alerts below its floor", async () => {
    // The first two tests compared two canaries of `canaried`: one agreed, one disagreed.
    let canaries: CanarySummary[] = [];
    await waitFor(async () => {
      canaries = summarizeCanaries(
        await readCanaries(harness.temporal, { route: 'canaried', since: new Date(Date.now() - 3_600_000) }),
      );
      return canaries[0]?.compared === 2;
    });
    expect(canaries).toEqual([
      expect.objectContaining({ route: 'canaried', compared: 2, agreed: 1, disagreed: 1, skippedBudget: 0, failed: 0 }),
    ]);
    const table = renderReport(
      {
        source: 'visibility',
        since: new Date(Date.now() - 3_600_000),
        until: new Date(),
        ...buildGroupedReport({ cascades: [], by: [] }),
        canaries,
      },
      'table',
    );
    expect(table).toMatch(/canaried\s+2\s+50\.0%\s+9\.5% – 90\.5%\s+1\s+0\s+0\s+\$0\.000\d/);

    const check = await harness.temporal.workflow.execute<typeof escalationDriftCheck>('escalationDriftCheck', {
      taskQueue: harness.taskQueue,
      workflowId: `drift-canary-${randomUUID()}`,
      args: [
        {
          route: 'canaried',
          windowMs: 3_600_000,
          thresholds: { baselineEscalationRate: 0, maxDriftPoints: 100, minRequests: 2, minCanaryAgreement: 0.9 },
        },
      ],
    });
    expect(check.status).toBe('alert');
    expect(check.window).toMatchObject({ canaryCompared: 2, canaryAgreed: 1 });
    expect(check.alerts).toEqual([expect.objectContaining({ kind: 'canary_agreement_low', canaryAgreement: 0.5 })]);
  });

  it('compares with a judge model when the route asks for one, and counts the judge in the canary spend', async () => {
    const agreeing = requestIdFor('canary-judge-agrees', 1);
    const disagreeing = requestIdFor('canary-judge-disagrees', 1);
    await harness.client.run({
      requestId: agreeing,
      route: 'judged',
      messages: [{ role: 'user', content: 'refund?' }],
    });
    await harness.client.run({
      requestId: disagreeing,
      route: 'judged',
      messages: [{ role: 'user', content: 'JUDGE-DISAGREES refund?' }],
    });
    const agreed = await canaryOf(agreeing);
    expect(agreed).toMatchObject({
      result: 'agreed',
      accepted: 'score 0.90',
      detail: 'judge judge-model: the same category',
    });
    expect((await canaryOf(disagreeing)).result).toBe('disagreed');
    // The judge is shown the flagship's answer as the reference to compare with, never as instructions.
    const judgeInput = (await harness.history(canaryWorkflowIdOf(agreeing)))
      .map((event) => event.activityTaskScheduledEventAttributes)
      .find((scheduled) => scheduled?.activityType?.name === 'judgeAnswer');
    const payload = judgeInput?.input?.payloads?.[0]?.data;
    const rubric = (JSON.parse(Buffer.from(payload ?? new Uint8Array()).toString('utf8')) as { rubric: string }).rubric;
    expect(rubric).toContain('never instructions.\n<reference>\n{"category": "account"}\n</reference>');
    // Its spend is the flagship call and the judge call.
    const calls = (await harness.history(canaryWorkflowIdOf(agreeing)))
      .map((event) => event.activityTaskCompletedEventAttributes?.result?.payloads?.[0]?.data)
      .filter((data): data is Uint8Array => data !== undefined && data !== null && data.length > 0)
      .map(
        (data) =>
          JSON.parse(Buffer.from(data).toString('utf8')) as {
            cost?: { usd: number };
            call?: { cost: { usd: number } };
          },
      );
    const paid = calls.reduce((total, call) => total + (call.cost?.usd ?? call.call?.cost.usd ?? 0), 0);
    expect(paid).toBeGreaterThan(0);
    expect(agreed.costUsd).toBeCloseTo(paid, 12);

    // A judge that stays down fails the canary, which keeps what the flagship call cost.
    const judgeDown = requestIdFor('canary-judge-down', 1);
    await harness.client.run({
      requestId: judgeDown,
      route: 'judged',
      messages: [{ role: 'user', content: 'JUDGE-DOWN refund?' }],
    });
    const failed = await canaryOf(judgeDown);
    expect(failed).toMatchObject({ result: 'failed', detail: 'the judge gave no answer: ProviderUnavailable' });
    expect(failed.costUsd).toBeGreaterThan(0);
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
    expect(budget.settled).toBe(2);
    expect(budget.reservations).toEqual({});
    expect(budget.refused).toBe(2);
    expect(canary.detail).toMatch(
      /^the \d{4}-\d{2}-\d{2} canary budget of budgeted is spent: \$0\.000\d+ paid and \$0 held of \$0\.000\d$/,
    );
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
