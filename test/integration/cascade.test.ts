import { CascadeFailedError } from '../../client/cascade-errors';
import type { CascadeRequest } from '../../contracts/cascade/cascade-request';
import { searchAttributes } from '../../contracts/search-attributes';
import { formatUsd } from '../../contracts/cascade/describe-outcome';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import {
  decodeSummary,
  lastCallsOf,
  newRequestId,
  scheduledModelCalls,
  standardModels,
  standardRoutes,
  startHarness,
  countStandardCalls,
  testApiKey,
  testApiKeyVariable,
  type Harness,
} from './cascade-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes({ cheapTimeout: '800ms' }) });
});

afterAll(async () => {
  await harness?.stop();
});

function ticket(
  marker: string,
  tags: Record<string, string> = { customer: 'acme', feature: 'triage' },
): CascadeRequest {
  return {
    requestId: newRequestId(marker.toLowerCase().replace(/[^a-z0-9]+/g, '-') || 'plain'),
    route: 'tickets',
    messages: [
      { role: 'system', content: 'Classify the support ticket as JSON {"category": ...}.' },
      { role: 'user', content: `Ticket ${marker}: my invoice shows a charge I do not recognise.` },
    ],
    tags,
  };
}

/** The history's JSON with every payload decoded from base64, so its contents can be searched. */
function decodedHistoryText(historyJson: string): string {
  return historyJson.replace(/"data": "([A-Za-z0-9+/=]*)"/g, (_match, data: string) =>
    JSON.stringify(Buffer.from(data, 'base64').toString('utf8')),
  );
}

const countCalls = <T>(action: () => Promise<T>) => countStandardCalls(harness, action);

describe('the cascade on a real Temporal server', () => {
  it('accepts a good cheap answer without calling the flagship, and records it where operators look', async () => {
    const request = ticket('');
    const { result, cheap, flagship } = await countCalls(() => harness.client.run(request));

    expect(result.outcome).toBe('accepted');
    expect(result.answer).toEqual({
      tier: 'cheap',
      model: 'cheap-model',
      text: '{"category": "billing"}',
      finishReason: 'stop',
      json: { category: 'billing' },
    });
    expect(result.verdict?.passed).toBe(true);
    expect(cheap).toBe(1);
    expect(flagship).toBe(0);
    expect(result.cost.flagshipUsd).toBe(0);
    expect(result.cost.cheapUsd).toBeGreaterThan(0);
    expect(result.cost.totalUsd).toBe(result.cost.cheapUsd);
    // The flagship's prices on the same tokens: 2.5/0.15 on input, 10/0.6 on output.
    expect(result.cost.flagshipOnlyUsd).toBeGreaterThan(result.cost.totalUsd * 15);
    expect(result.cost.savingUsd).toBeCloseTo(result.cost.flagshipOnlyUsd - result.cost.totalUsd, 12);
    expect(result.policy.route).toBe('tickets');
    expect(result.tags).toEqual({ customer: 'acme', feature: 'triage' });

    const description = await harness.temporal.workflow.getHandle(result.workflowId).describe();
    expect(description.typedSearchAttributes.get(searchAttributes.outcome)).toBe('accepted');
    expect(description.searchAttributes.CascadeRoute).toEqual(['tickets']);
    expect(description.searchAttributes.CascadeCustomer).toEqual(['acme']);
    expect(description.searchAttributes.CascadeCostUsd?.[0]).toBeCloseTo(result.cost.totalUsd, 12);
    expect(await description.staticSummary()).toBe(`tickets · request ${request.requestId}`);
    const metadata = await harness.temporal.workflow
      .getHandle(result.workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    // The Web UI's details: the outcome, the models, the gate's verdict, each call and the costs, as Markdown.
    expect(metadata.currentDetails).toMatch(/^\*\*tickets · accepted · \$\d/);
    expect(metadata.currentDetails).toContain('| Cheap model | `cheap-model` (openai) |');
    expect(metadata.currentDetails).toContain('| Flagship model | `flagship-model` (openai) |');
    expect(metadata.currentDetails).toContain(
      `| Gate | \`${result.verdict?.gate}\` · ${result.verdict?.gate} passed · score 1.00 |`,
    );
    expect(metadata.currentDetails).toContain(
      `| cheap | \`cheap-model\` | answered | 1 | ${result.tiers[0]?.usage?.inputTokens} / `,
    );
    expect(metadata.currentDetails).toContain(
      `| ${formatUsd(result.cost.cheapUsd)} | $0 | $0 | ${formatUsd(result.cost.totalUsd)} | ${formatUsd(result.cost.flagshipOnlyUsd)} | ${formatUsd(result.cost.savingUsd)} |`,
    );

    const events = await harness.history(result.workflowId);
    expect(scheduledModelCalls(events)).toEqual({ cheap: 1, flagship: 0 });
    expect(events.map(decodeSummary)).toContain('cheap · cheap-model');
    // The activities after the gate carry its verdict.
    expect(events.map(decodeSummary)).toContain(`cost ledger · accepted · ${result.verdict?.gate} passed · score 1.00`);
  });

  it('escalates a rejected answer exactly once, bills both calls and says why', async () => {
    const { result, cheap, flagship } = await countCalls(() => harness.client.run(ticket('CHEAP-INVALID-JSON')));

    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('json_invalid');
    expect(result.verdict?.passed).toBe(false);
    expect(result.answer).toMatchObject({ tier: 'flagship', model: 'flagship-model', text: '{"category": "account"}' });
    expect(cheap).toBe(1);
    expect(flagship).toBe(1);
    expect(result.cost.cheapUsd).toBeGreaterThan(0);
    expect(result.cost.flagshipUsd).toBeGreaterThan(0);
    expect(result.cost.totalUsd).toBeCloseTo(result.cost.cheapUsd + result.cost.flagshipUsd, 12);
    expect(result.cost.flagshipOnlyUsd).toBe(result.cost.flagshipUsd);
    expect(result.cost.savingUsd).toBeLessThan(0);
    expect(result.tiers.map((tier) => [tier.tier, tier.status, tier.attempts])).toEqual([
      ['cheap', 'answered', 1],
      ['flagship', 'answered', 1],
    ]);

    const events = await harness.history(result.workflowId);
    expect(scheduledModelCalls(events)).toEqual({ cheap: 1, flagship: 1 });
    // The API key stays in the worker's environment: the history names only its variable.
    const historyText = decodedHistoryText(
      historyToJSON(await harness.temporal.workflow.getHandle(result.workflowId).fetchHistory()),
    );
    expect(historyText).toContain(testApiKeyVariable);
    expect(historyText).not.toContain(testApiKey);
    expect(events.map(decodeSummary)).toEqual(
      expect.arrayContaining([
        'cheap · cheap-model',
        `flagship · flagship-model · escalation: json_invalid · ${result.verdict?.gate} rejected (json_invalid) · score 0.00`,
      ]),
    );
    const description = await harness.temporal.workflow.getHandle(result.workflowId).describe();
    expect(description.searchAttributes.CascadeOutcome).toEqual(['escalated']);
    expect(description.searchAttributes.CascadeEscalationReason).toEqual(['json_invalid']);
    const metadata = await harness.temporal.workflow
      .getHandle(result.workflowId)
      .query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails?.split('\n')[0]).toBe(
      `**tickets · escalated (json_invalid) · ${formatUsd(result.cost.totalUsd)}**`,
    );
    expect(metadata.currentDetails).toContain('| flagship | `flagship-model` | answered | 1 |');
    expect(metadata.currentDetails).toContain('| Escalation reason | `json_invalid` |');
    expect(metadata.currentDetails).toContain('| ↳ `json-schema` | rejected | 0.00 |  |  | no valid JSON');
  });

  it.each([
    ['CHEAP-OFF-SCHEMA', 'schema_invalid'],
    ['CHEAP-REFUSES', 'refusal'],
  ])('escalates %s with reason %s', async (marker, reason) => {
    const result = await harness.client.run(ticket(marker));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe(reason);
    expect(result.verdict?.reasons).toContain(reason);
  });

  it('retries a rate-limited flagship after its Retry-After, then answers', async () => {
    const request = ticket('CHEAP-INVALID-JSON FLAGSHIP-RATE-LIMITED');
    const { result, flagship } = await countCalls(() => harness.client.run(request));

    expect(result.outcome).toBe('escalated');
    expect(flagship).toBe(3);
    expect(result.tiers[1]).toMatchObject({ tier: 'flagship', status: 'answered', attempts: 3 });
    const calls = lastCallsOf(harness, { model: 'flagship-model', count: 3 });
    expect(calls.statuses).toEqual([429, 429, 200]);
    // Retry-After: 1 overrides the route's 100 ms initial interval on each retry.
    for (const gap of calls.gapsMs) expect(gap).toBeGreaterThanOrEqual(950);
  });

  it('fails fast with a clear error when the flagship rejects the request (400)', async () => {
    const request = ticket('CHEAP-INVALID-JSON FLAGSHIP-BAD-REQUEST');
    const before = harness.callsOf('flagship-model');
    const failure = await harness.client.run(request).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(CascadeFailedError);
    const cascadeFailure = failure as CascadeFailedError;
    expect(cascadeFailure.type).toBe('CascadeFailed');
    expect(cascadeFailure.message).toContain('ProviderRequestRejected');
    expect(cascadeFailure.message).toContain('maximum context length exceeded');
    expect(harness.callsOf('flagship-model') - before).toBe(1);
    const details = cascadeFailure.details as {
      escalationReason: string;
      tiers: Array<{ tier: string; status: string; attempts: number; errorType?: string }>;
    };
    expect(details.escalationReason).toBe('json_invalid');
    expect(details.tiers[1]).toMatchObject({
      tier: 'flagship',
      status: 'request_rejected',
      attempts: 1,
      errorType: 'ProviderRequestRejected',
    });

    const description = await harness.temporal.workflow.getHandle(cascadeFailure.workflowId).describe();
    expect(description.status.name).toBe('FAILED');
    expect(description.searchAttributes.CascadeOutcome).toEqual(['failed']);
  });

  it('gives up on a flagship that stays down after its attempts, with the error type', async () => {
    const before = harness.callsOf('flagship-model');
    const failure = (await harness.client
      .run(ticket('CHEAP-REFUSES FLAGSHIP-DOWN'))
      .catch((error: unknown) => error)) as CascadeFailedError;
    expect(failure).toBeInstanceOf(CascadeFailedError);
    expect(failure.message).toContain('ProviderUnavailable');
    expect(harness.callsOf('flagship-model') - before).toBe(4);
  });

  it('escalates when the cheap tier times out, with its own reason', async () => {
    const { result, cheap, flagship } = await countCalls(() => harness.client.run(ticket('CHEAP-HANGS')));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('cheap_timeout');
    expect(result.verdict).toBeUndefined();
    expect(cheap).toBe(2);
    expect(flagship).toBe(1);
    expect(result.tiers[0]).toMatchObject({
      tier: 'cheap',
      status: 'timeout',
      errorType: 'ProviderTimeout',
      attempts: 2,
    });
    expect(result.cost.cheapUsd).toBe(0);
  });

  it('escalates when the cheap tier stays unavailable after its small retry budget', async () => {
    const { result, cheap } = await countCalls(() => harness.client.run(ticket('CHEAP-UNAVAILABLE')));
    expect(result.escalationReason).toBe('cheap_unavailable');
    expect(cheap).toBe(2);
    expect(result.tiers[0]).toMatchObject({ status: 'unavailable', errorType: 'ProviderUnavailable' });
  });

  it('runs the same request id once: the second submission gets the first answer and bills nothing', async () => {
    const request = ticket('CHEAP-INVALID-JSON');
    const first = await harness.client.run(request);
    const { result: second, cheap, flagship } = await countCalls(() => harness.client.run(request));
    expect(first.existing).toBe(false);
    expect(second.existing).toBe(true);
    expect(second.workflowId).toBe(first.workflowId);
    expect(second.cost).toEqual(first.cost);
    expect(cheap + flagship).toBe(0);
    const executions = [];
    for await (const execution of harness.temporal.workflow.list({ query: `WorkflowId = "${first.workflowId}"` }))
      executions.push(execution);
    expect(executions).toHaveLength(1);
  });

  it('joins a cascade still running instead of starting another', async () => {
    const request = ticket('CHEAP-SLOW');
    const [first, second] = await Promise.all([harness.client.run(request), harness.client.run(request)]);
    expect([first.existing, second.existing].sort()).toEqual([false, true]);
    expect(first.answer).toEqual(second.answer);
  });
});
