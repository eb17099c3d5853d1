import { CascadeFailedError } from '../../client/cascade-errors';
import { cascadeWorkflowType, type CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import { searchAttributes } from '../../contracts/search-attributes';
import type { CallCounts } from '../../local-stack/model-server/call-log';
import type { CostLedger, LedgerEntry } from '../../operations/ledger/cost-ledger';
import { formatUsd } from '../../contracts/cascade/describe-outcome';
import {
  decodeSummary,
  lastCallsOf,
  newRequestId,
  scheduledModelCalls,
  standardModels,
  standardRoutes,
  startHarness,
  type Harness,
} from './cascade-harness';

let harness: Harness;
const ledgerRows: LedgerEntry[] = [];
const ledger: CostLedger = {
  record: async (entry) => {
    ledgerRows.push(entry);
  },
  close: async () => undefined,
};

beforeAll(async () => {
  harness = await startHarness({
    models: standardModels(),
    routesYaml: standardRoutes({ flagshipOnlyRoute: true }),
    ledger,
  });
});

afterAll(async () => {
  await harness?.stop();
});

function directTicket(marker: string): CascadeRequest {
  return {
    requestId: newRequestId(`direct-${marker.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'plain'}`),
    route: 'tickets-direct',
    messages: [{ role: 'user', content: `Ticket ${marker}: my invoice shows a charge I do not recognise.` }],
    tags: { customer: 'acme' },
  };
}

/** The model server's call counts, read over HTTP as any client of it would. */
async function modelServerCalls(): Promise<Record<string, number>> {
  const response = await fetch(harness.modelServerUrl.replace(/\/v1$/, '/admin/calls'));
  return ((await response.json()) as CallCounts).byModel;
}

/** Calls each model received while `action` ran. */
async function countCalls<T>(action: () => Promise<T>): Promise<{ result: T; cheap: number; flagship: number }> {
  const before = await modelServerCalls();
  const result = await action();
  const after = await modelServerCalls();
  const delta = (model: string) => (after[model] ?? 0) - (before[model] ?? 0);
  return { result, cheap: delta('cheap-model'), flagship: delta('flagship-model') };
}

describe('a flagship-only route on a real Temporal server', () => {
  it('calls the flagship once and neither the cheap model nor the gate, and reports it as sent straight to the flagship', async () => {
    const request = directTicket('');
    const { result, cheap, flagship } = await countCalls(() => harness.client.run(request));

    expect(cheap).toBe(0);
    expect(flagship).toBe(1);
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('direct_to_flagship');
    expect(result.verdict).toBeUndefined();
    expect(result.answer).toEqual({
      tier: 'flagship',
      model: 'flagship-model',
      text: '{"category": "account"}',
      finishReason: 'stop',
    });
    expect(result.tiers).toEqual([
      {
        tier: 'flagship',
        model: 'flagship-model',
        status: 'answered',
        attempts: 1,
        latencyMs: expect.any(Number),
        cost: expect.objectContaining({ usd: result.cost.flagshipUsd }),
        usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      },
    ]);
    expect(result.cost.flagshipUsd).toBeGreaterThan(0);
    expect(result.cost).toEqual({
      totalUsd: result.cost.flagshipUsd,
      cheapUsd: 0,
      flagshipUsd: result.cost.flagshipUsd,
      judgeUsd: 0,
      flagshipOnlyUsd: result.cost.flagshipUsd,
      savingUsd: 0,
    });
    expect(result.policy.mode).toBe('flagship-only');

    const handle = harness.temporal.workflow.getHandle(result.workflowId);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.route)).toBe('tickets-direct');
    expect(description.typedSearchAttributes.get(searchAttributes.outcome)).toBe('escalated');
    expect(description.typedSearchAttributes.get(searchAttributes.escalationReason)).toBe('direct_to_flagship');
    expect(description.typedSearchAttributes.get(searchAttributes.answerTier)).toBe('flagship');
    expect(description.typedSearchAttributes.get(searchAttributes.costUsd)).toBeCloseTo(result.cost.totalUsd, 12);
    expect(description.typedSearchAttributes.get(searchAttributes.flagshipOnlyCostUsd)).toBeCloseTo(
      result.cost.flagshipOnlyUsd,
      12,
    );
    expect(await description.staticDetails()).toContain('**flagship** flagship-model (flagship-only route)');
    expect(await description.staticDetails()).not.toContain('**cheap**');
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails?.split('\n')[0]).toBe(
      `**tickets-direct · escalated (direct_to_flagship) · ${formatUsd(result.cost.totalUsd)}**`,
    );
    expect(metadata.currentDetails).toContain('| Cheap model | not called (flagship-only route) |');
    expect(metadata.currentDetails).not.toContain('| cheap |');

    const events = await harness.history(result.workflowId);
    expect(scheduledModelCalls(events)).toEqual({ cheap: 0, flagship: 1 });
    expect(events.map(decodeSummary).filter((summary) => summary !== '')).toEqual([
      `tickets-direct · request ${request.requestId}`,
      'resolve route tickets-direct',
      'budget',
      'flagship · flagship-model · flagship-only route',
      'cost ledger · escalated',
    ]);

    const row = ledgerRows.find((entry) => entry.workflowId === result.workflowId);
    expect(row).toMatchObject({
      route: 'tickets-direct',
      outcome: 'escalated',
      escalationReason: 'direct_to_flagship',
      answerTier: 'flagship',
      cost: result.cost,
      tags: { customer: 'acme' },
    });
  });

  it("retries the flagship with the flagship tier's retry policy, honouring Retry-After", async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      harness.client.run(directTicket('FLAGSHIP-RATE-LIMITED')),
    );
    expect(cheap).toBe(0);
    expect(flagship).toBe(3);
    expect(result.tiers).toEqual([expect.objectContaining({ tier: 'flagship', status: 'answered', attempts: 3 })]);
    const calls = lastCallsOf(harness, { model: 'flagship-model', count: 3 });
    expect(calls.statuses).toEqual([429, 429, 200]);
    // Retry-After: 1 overrides the tier's 100 ms initial interval on each retry.
    for (const gap of calls.gapsMs) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('fails like a cascade when the flagship gives no answer, with the reason and what was billed', async () => {
    const request = directTicket('FLAGSHIP-BAD-REQUEST');
    const {
      result: failure,
      cheap,
      flagship,
    } = await countCalls(() => harness.client.run(request).catch((error: unknown) => error));
    expect(failure).toBeInstanceOf(CascadeFailedError);
    const cascadeFailure = failure as CascadeFailedError;
    expect(cascadeFailure.type).toBe('CascadeFailed');
    expect(cascadeFailure.message).toContain(
      'the flagship tier (flagship-model) gave no answer: ProviderRequestRejected',
    );
    expect(cheap).toBe(0);
    expect(flagship).toBe(1);
    const details = cascadeFailure.details as {
      escalationReason: string;
      tiers: Array<{ tier: string; status: string }>;
      cost: { totalUsd: number };
    };
    expect(details.escalationReason).toBe('direct_to_flagship');
    expect(details.tiers).toEqual([expect.objectContaining({ tier: 'flagship', status: 'request_rejected' })]);
    expect(details.cost.totalUsd).toBe(0);

    const description = await harness.temporal.workflow.getHandle(cascadeFailure.workflowId).describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.typedSearchAttributes.get(searchAttributes.outcome)).toBe('failed');
    expect(description.typedSearchAttributes.get(searchAttributes.escalationReason)).toBe('direct_to_flagship');
  });

  it("takes the mode from the worker's routes when the starter sends no policy", async () => {
    const request = directTicket('');
    const { result, cheap, flagship } = await countCalls(
      () =>
        harness.temporal.workflow.execute(cascadeWorkflowType, {
          taskQueue: harness.taskQueue,
          workflowId: `cascade-${request.requestId}`,
          args: [request],
        }) as Promise<CascadeResult>,
    );
    expect(cheap).toBe(0);
    expect(flagship).toBe(1);
    expect(result).toMatchObject({
      outcome: 'escalated',
      escalationReason: 'direct_to_flagship',
      policy: { mode: 'flagship-only' },
    });
  });

  it('leaves the cascade route beside it a cascade', async () => {
    const { result, cheap, flagship } = await countCalls(() =>
      harness.client.run({ ...directTicket(''), route: 'tickets' }),
    );
    expect(result.outcome).toBe('accepted');
    expect(result.policy).not.toHaveProperty('mode');
    expect(cheap).toBe(1);
    expect(flagship).toBe(0);
  });
});
