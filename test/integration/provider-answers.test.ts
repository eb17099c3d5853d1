import { WorkflowFailedError } from '@temporalio/client';
import type { ScriptedModelSpec } from '../../local-stack/model-server/scripted-model-spec';
import { newRequestId, standardRoutes, startHarness, type Harness } from './cascade-harness';

const answer = '{"category": "billing"}';
const models: ScriptedModelSpec[] = [
  {
    id: 'cheap-model',
    rules: [
      {
        whenContains: 'CHEAP-NEGATIVE-USAGE',
        respond: { text: answer, usage: { promptTokens: -5, completionTokens: 2.5 } },
      },
      { whenContains: 'CHEAP-EMPTY', respond: { text: '' } },
      { whenContains: 'CHEAP-REFUSES', respond: { text: "I'm sorry, but I can't help with that." } },
      { whenContains: 'CHEAP-KEY-REFUSED', respond: { text: answer, faults: [{ status: 401, times: 100 }] } },
      // 600 KB: above the 512 KiB an answer may take.
      { whenContains: 'CHEAP-HUGE', respond: { text: `{"category": "billing", "note": "${'n'.repeat(600_000)}"}` } },
      // 400 KB of about 100,000 tokens: their log-probabilities would take some 4 MB.
      {
        whenContains: 'CHEAP-LONG-LOGPROBS',
        respond: { text: `{"category": "billing", "note": "${'word '.repeat(80_000)}"}` },
      },
      // JSON nested 100,000 deep: the verdict recording it would overflow the stack.
      {
        whenContains: 'CHEAP-DEEP-JSON',
        respond: { text: '['.repeat(100_000) + ']'.repeat(100_000) },
      },
    ],
    default: { text: answer },
  },
  {
    id: 'flagship-model',
    rules: [
      {
        whenContains: 'FLAGSHIP-TRILLION',
        respond: { text: answer, usage: { promptTokens: 1e12, completionTokens: 1e12 } },
      },
      { whenContains: 'FLAGSHIP-EMPTY', respond: { text: '   ' } },
    ],
    default: { text: '{"category": "account"}' },
  },
];

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models, routesYaml: standardRoutes() });
});

afterAll(async () => {
  await harness?.stop();
});

const ticket = (marker: string) => ({
  requestId: newRequestId('provider-answer'),
  route: 'tickets',
  messages: [{ role: 'user' as const, content: `Ticket ${marker}: I was charged twice for one order.` }],
});

describe('provider answers checked before they are priced', () => {
  it('estimates negative and fractional token counts with a tokenizer, marks them, and prices the estimate', async () => {
    const result = await harness.client.run(ticket('CHEAP-NEGATIVE-USAGE'));
    expect(result.outcome).toBe('accepted');
    const cheap = result.tiers[0]!;
    expect(cheap.usageEstimated).toBe(true);
    // At least the prompt's dozen tokens at $0.15 per million and a few answer tokens at $0.60.
    expect(cheap.cost.usd).toBeGreaterThan((12 * 0.15 + 3 * 0.6) / 1e6);
    expect(cheap.cost.usd).toBeLessThan(0.001);
  });

  it('does not bill a trillion tokens: an absurd count is estimated instead', async () => {
    const result = await harness.client.run(ticket('CHEAP-REFUSES FLAGSHIP-TRILLION'));
    expect(result.outcome).toBe('escalated');
    const flagship = result.tiers.find((tier) => tier.tier === 'flagship')!;
    expect(flagship.usageEstimated).toBe(true);
    expect(result.cost.totalUsd).toBeLessThan(0.01);
  });

  it('retries an empty answer as a provider error, escalates, and keeps what the empty answer cost', async () => {
    const result = await harness.client.run(ticket('CHEAP-EMPTY'));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('cheap_unavailable');
    const cheap = result.tiers.find((tier) => tier.tier === 'cheap')!;
    expect(cheap).toMatchObject({ status: 'unavailable', errorType: 'ProviderEmptyAnswer', attempts: 2 });
    expect(cheap.cost.usd).toBeGreaterThan(0);
    expect(result.cost.cheapUsd).toBe(cheap.cost.usd);
    expect(harness.callsOf('cheap-model')).toBeGreaterThanOrEqual(2);
  });

  it('fails a cascade whose flagship answers nothing, never reporting an empty escalation as a success', async () => {
    const request = ticket('CHEAP-REFUSES FLAGSHIP-EMPTY');
    const error = await harness.client.run(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'CascadeFailed' });
    expect((error as Error).message).toContain('ProviderEmptyAnswer');
  });

  it('stops at a 401 on the cheap tier as a setup error, without escalating to the flagship', async () => {
    const before = harness.callsOf('flagship-model');
    const request = ticket('CHEAP-KEY-REFUSED');
    const error = await harness.client.run(request).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ type: 'CascadeFailed' });
    expect((error as Error).message).toContain('ProviderAuthenticationFailed');
    expect(harness.callsOf('flagship-model')).toBe(before);
    const failure = await harness.temporal.workflow
      .getHandle(`cascade-${request.requestId}`)
      .result()
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
  });

  it("refuses an answer above the size limit as the provider's error, escalates, and keeps what it cost", async () => {
    const result = await harness.client.run(ticket('CHEAP-HUGE'));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('cheap_request_rejected');
    const cheap = result.tiers.find((tier) => tier.tier === 'cheap')!;
    expect(cheap).toMatchObject({ errorType: 'ProviderAnswerTooLarge', attempts: 1 });
    expect(cheap.errorMessage).toContain('above the 524288 this worker takes (limits.maximumAnswerBytes)');
    expect(cheap.cost.usd).toBeGreaterThan(0);
  });

  it("keeps the leading log-probabilities of a long answer, so its call's result still fits one payload", async () => {
    const request = ticket('CHEAP-LONG-LOGPROBS');
    const result = await harness.client.run(request);
    expect(result.outcome).toBe('accepted');
    const events = await harness.history(`cascade-${request.requestId}`);
    const completed = events.find((event) => event.activityTaskCompletedEventAttributes)!;
    const payload = completed.activityTaskCompletedEventAttributes!.result!.payloads![0]!;
    expect(payload.data!.length).toBeLessThan(2 * 1024 * 1024);
    const answer = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as {
      logprobsTruncated?: boolean;
      logprobs: unknown[];
    };
    expect(answer.logprobsTruncated).toBe(true);
    expect(answer.logprobs.length).toBeGreaterThan(1000);
  });

  it('rejects JSON nested 100,000 deep as invalid instead of failing to record the verdict', async () => {
    const result = await harness.client.run(ticket('CHEAP-DEEP-JSON'));
    expect(result.outcome).toBe('escalated');
    expect(result.escalationReason).toBe('json_invalid');
    expect(result.verdict?.detail).toContain('deeper than 100 levels');
  });
});
