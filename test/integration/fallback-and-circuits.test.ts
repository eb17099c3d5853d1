import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { decodeSummary, newRequestId, startHarness, type Harness } from './cascade-harness';
import { cheapPrices, trafficModels as models, trafficRoutesYaml as routesYaml } from './traffic-stack';

/**
 * Fallback within a tier and circuit breaking, on a real worker against the local model server: a cheap
 * tier of two models (`models: [primary, backup]`), the first made to fail by scripted faults or by an
 * outage injected into the running server.
 */

function ticket(marker: string) {
  return {
    requestId: newRequestId('fallback'),
    route: 'tickets',
    messages: [{ role: 'user' as const, content: `Ticket ${marker}: please classify.` }],
  };
}

/** The summaries of the `callModel` activities a workflow scheduled, in order. */
async function callSummaries(harness: Harness, workflowId: string): Promise<string[]> {
  return (await harness.history(workflowId))
    .filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'callModel')
    .map(decodeSummary);
}

describe('fallback within a tier', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ models: models(), routesYaml: routesYaml({}) });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  it('moves to the next model when the first stays unavailable after its retries, and bills the one that answered', async () => {
    const request = ticket('PRIMARY-DOWN');
    const before = { primary: harness.callsOf('primary-model'), backup: harness.callsOf('backup-model') };
    const result = await harness.client.run(request);

    expect(result.outcome).toBe('accepted');
    expect(result.answer).toMatchObject({ tier: 'cheap', model: 'backup-model', json: { category: 'bug' } });
    expect(result.tiers).toHaveLength(2);
    expect(result.tiers[0]).toMatchObject({
      tier: 'cheap',
      model: 'primary-model',
      status: 'unavailable',
      errorType: 'ProviderUnavailable',
      attempts: 2,
      fallbackTo: 'backup-model',
      cost: { usd: 0 },
    });
    expect(result.tiers[1]).toMatchObject({ tier: 'cheap', model: 'backup-model', status: 'answered', attempts: 1 });
    expect(result.tiers[1]!.fallbackTo).toBeUndefined();
    // The backup's own price, on its own tokens.
    const usage = result.tiers[1]!.usage!;
    const backupUsd =
      (usage.inputTokens! * cheapPrices.backup.inputPerMillionUsd +
        usage.outputTokens! * cheapPrices.backup.outputPerMillionUsd) /
      1e6;
    expect(result.tiers[1]!.cost.usd).toBeCloseTo(backupUsd, 12);
    expect(result.cost.cheapUsd).toBeCloseTo(backupUsd, 12);
    expect(harness.callsOf('primary-model') - before.primary).toBe(2);
    expect(harness.callsOf('backup-model') - before.backup).toBe(1);

    expect(await callSummaries(harness, `cascade-${request.requestId}`)).toEqual([
      'cheap · primary-model',
      'cheap · backup-model · fallback 2/2 after primary-model: ProviderUnavailable',
    ]);
  });

  it('moves on at once from a 429 whose Retry-After is beyond the cap, and from a timeout', async () => {
    const before = harness.callsOf('primary-model');
    const limited = await harness.client.run(ticket('PRIMARY-RATE-LIMITED'));
    expect(harness.callsOf('primary-model') - before).toBe(1);
    expect(limited.answer.model).toBe('backup-model');
    expect(limited.tiers[0]).toMatchObject({
      status: 'unavailable',
      errorType: 'ProviderRateLimited',
      attempts: 1,
      fallbackTo: 'backup-model',
    });
    expect(limited.tiers[0]!.errorMessage).toContain('beyond the 3000 ms cap');

    const hung = await harness.client.run(ticket('PRIMARY-HANGS'));
    expect(hung.answer.model).toBe('backup-model');
    expect(hung.tiers[0]).toMatchObject({ status: 'timeout', fallbackTo: 'backup-model' });
  });

  it('never falls back on a gate rejection or a rejected request: it escalates, once', async () => {
    for (const marker of ['PRIMARY-REFUSES', 'PRIMARY-BAD-REQUEST']) {
      const before = harness.callsOf('backup-model');
      const result = await harness.client.run(ticket(marker));
      expect(harness.callsOf('backup-model') - before).toBe(0);
      expect(result.outcome).toBe('escalated');
      expect(result.escalationReason).toBe(marker === 'PRIMARY-REFUSES' ? 'refusal' : 'cheap_request_rejected');
      expect(result.answer).toMatchObject({ tier: 'flagship', model: 'flagship-model' });
      expect(result.tiers.map((report) => [report.model, report.status])).toEqual([
        ['primary-model', marker === 'PRIMARY-REFUSES' ? 'answered' : 'request_rejected'],
        ['flagship-model', 'answered'],
      ]);
    }
  });

  it('escalates when every cheap model is unavailable, and the flagship tier falls back too', async () => {
    const request = ticket('PRIMARY-DOWN BACKUP-DOWN FLAGSHIP-DOWN');
    const result = await harness.client.run(request);
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('cheap_unavailable');
    expect(result.answer).toMatchObject({ tier: 'flagship', model: 'flagship-backup-model' });
    expect(result.tiers.map((report) => [report.tier, report.model, report.status, report.fallbackTo])).toEqual([
      ['cheap', 'primary-model', 'unavailable', 'backup-model'],
      ['cheap', 'backup-model', 'unavailable', undefined],
      ['flagship', 'flagship-model', 'unavailable', 'flagship-backup-model'],
      ['flagship', 'flagship-backup-model', 'answered', undefined],
    ]);
    expect(result.cost.flagshipUsd).toBeCloseTo(result.tiers[3]!.cost.usd, 12);
    const summaries = await callSummaries(harness, `cascade-${request.requestId}`);
    expect(summaries[3]).toBe(
      'flagship · flagship-backup-model · fallback 2/2 after flagship-model: ProviderUnavailable · escalation: cheap_unavailable',
    );
  });
});

describe('circuit breaking', () => {
  let harness: Harness;
  const metrics = new CascadeMetrics({ routeNames: ['tickets'], processMetrics: false });
  const settings = { minimumCalls: 4, cooldownMs: 3_000 };

  beforeAll(async () => {
    harness = await startHarness({
      models: models(),
      routesYaml: routesYaml({
        circuitBreaker: `{ failureShare: 50%, window: 30s, minimumCalls: ${settings.minimumCalls}, cooldown: ${settings.cooldownMs}ms }`,
      }),
      metrics,
    });
  });

  afterAll(async () => {
    await harness?.stop();
  });

  async function circuitChanges(state: string): Promise<number> {
    const metric = (await metrics.registry.getSingleMetric('cascade_circuit_state_changes_total')!.get()).values;
    return metric
      .filter((sample) => sample.labels.gen_ai_request_model === 'primary-model' && sample.labels.state === state)
      .reduce((total, sample) => total + sample.value, 0);
  }

  it('bounds the calls a model in an outage receives, answers from the fallback meanwhile, and closes after a probe', async () => {
    const origin = new URL(harness.modelServerUrl).origin;
    // Warm the circuit with answers, so it is known and closed.
    for (let index = 0; index < 3; index += 1)
      expect((await harness.client.run(ticket('warm'))).answer.model).toBe('primary-model');

    const started = await fetch(`${origin}/admin/outages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'primary-model', status: 503 }),
    });
    expect(started.status).toBe(200);
    const before = harness.callsOf('primary-model');
    const outageStartedAt = Date.now();

    // 40 requests, 5 at a time, all during the outage.
    const concurrency = 5;
    const results: CascadeResult[] = [];
    for (let batch = 0; batch < 40 / concurrency; batch += 1) {
      results.push(
        ...(await Promise.all(Array.from({ length: concurrency }, () => harness.client.run(ticket('outage'))))),
      );
    }
    const outageCalls = harness.callsOf('primary-model') - before;
    const outageSeconds = (Date.now() - outageStartedAt) / 1000;
    const probes = await circuitChanges('half_open');

    // Every request answered, by the fallback, at the cheap tier: the outage costs no escalation.
    expect(results.every((result) => result.outcome === 'accepted' && result.answer.model === 'backup-model')).toBe(
      true,
    );
    // Without the breaker: 2 attempts × 40 requests = 80 calls. With it: the calls that opened it, those in
    // flight then (one each), and one probe per cooldown.
    expect(await circuitChanges('open')).toBeGreaterThanOrEqual(1);
    expect(probes).toBeLessThanOrEqual(Math.ceil(outageSeconds / (settings.cooldownMs / 1000)));
    expect(outageCalls).toBeLessThanOrEqual(settings.minimumCalls + concurrency + probes);
    // Calls refused by the open circuit: nothing sent, nothing billed, no retry after the refusal. A request
    // that never reached the model was refused at its first attempt.
    const refused = results.filter((result) => result.tiers[0]!.status === 'circuit_open');
    for (const result of refused) {
      expect(result.tiers[0]).toMatchObject({
        model: 'primary-model',
        errorType: 'CircuitOpen',
        cost: { usd: 0 },
        fallbackTo: 'backup-model',
      });
      expect(result.tiers[0]!.errorMessage).toContain('the circuit is open');
    }
    expect(refused.filter((result) => result.tiers[0]!.attempts === 1).length).toBeGreaterThanOrEqual(40 - outageCalls);

    // The outage ends; after the cooldown one probe goes through, is answered, and closes the circuit.
    const ended = await fetch(`${origin}/admin/outages?model=primary-model`, { method: 'DELETE' });
    expect(await ended.json()).toMatchObject({ ended: 1, outages: [] });
    await new Promise((resolve) => setTimeout(resolve, settings.cooldownMs + 200));
    const probe = await harness.client.run(ticket('after'));
    expect(probe.answer.model).toBe('primary-model');
    expect(probe.tiers).toHaveLength(1);
    expect(await circuitChanges('closed')).toBe(1);
    const after = await harness.client.run(ticket('after again'));
    expect(after.answer.model).toBe('primary-model');
  });
});
