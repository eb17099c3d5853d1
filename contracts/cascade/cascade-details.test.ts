import { cascadeDetails, verdictSummary } from './cascade-details';
import type { GateVerdict } from './gate-verdict';
import type { RoutePolicy } from './route-policy';

const retry = { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 1_000, maximumAttempts: 3 };
const policy: RoutePolicy = {
  route: 'support',
  cheap: { model: { provider: 'openai', model: 'gpt-4o-mini' }, timeoutMs: 5_000, retry },
  flagship: { model: { provider: 'anthropic', model: 'claude-sonnet' }, timeoutMs: 20_000, retry },
  gate: { kind: 'confidence', threshold: 0.8 },
  retryAfterCapMs: 5_000,
} as RoutePolicy;

const rejected: GateVerdict = {
  gate: 'all',
  passed: false,
  score: 0.41,
  reasons: ['low_confidence'],
  detail: 'a child rejected',
  children: [
    { gate: 'refusal', passed: true, score: 1, reasons: [], detail: 'no refusal marker' },
    {
      gate: 'confidence',
      passed: false,
      score: 0.41,
      threshold: 0.8,
      signal: -1.2345,
      signalThreshold: -0.5,
      reasons: ['low_confidence'],
      detail: 'mean log-probability | low\nsecond line',
    },
  ],
};

describe('cascadeDetails', () => {
  it('shows the models and the gate of a running cascade', () => {
    const details = cascadeDetails({ policy, tiers: [] });
    expect(details.split('\n')[0]).toBe('**support · running**');
    expect(details).toContain('| Cheap model | `gpt-4o-mini` (openai) |');
    expect(details).toContain('| Flagship model | `claude-sonnet` (anthropic) |');
    expect(details).toContain('| Gate | `confidence` |');
    expect(details).not.toContain('| Call |');
  });

  it('shows an escalation with each part of the verdict against its threshold, every call and the costs', () => {
    const details = cascadeDetails({
      policy,
      outcome: 'escalated',
      reason: 'low_confidence',
      escalationReason: 'low_confidence',
      verdict: rejected,
      tiers: [
        {
          tier: 'cheap',
          model: 'gpt-4o-mini',
          status: 'answered',
          attempts: 2,
          latencyMs: 812.4,
          cost: { usd: 0.0001, source: 'price-table' },
          usage: { inputTokens: 120, outputTokens: 30 },
        },
        {
          tier: 'flagship',
          model: 'claude-sonnet',
          status: 'answered',
          attempts: 1,
          latencyMs: 2_000,
          cost: { usd: 0.003, source: 'price-table' },
          usage: { inputTokens: 120, outputTokens: 28 },
        },
      ],
      cost: {
        totalUsd: 0.0031,
        cheapUsd: 0.0001,
        flagshipUsd: 0.003,
        judgeUsd: 0,
        flagshipOnlyUsd: 0.003,
        savingUsd: -0.0001,
      },
    });
    expect(details.split('\n')[0]).toBe('**support · escalated (low_confidence) · $0.0031**');
    expect(details).toContain('| Gate | `confidence` · all rejected (low_confidence) · score 0.41 |');
    expect(details).toContain('| Escalation reason | `low_confidence` |');
    expect(details).toContain('| `all` | rejected | 0.41 |  |  | a child rejected |');
    expect(details).toContain('| ↳ `refusal` | passed | 1.00 |  |  | no refusal marker |');
    // A detail's pipe and line break stay inside its cell.
    expect(details).toContain(
      '| ↳ `confidence` | rejected | 0.41 | 0.80 | -1.234 (held to -0.500) | mean log-probability \\| low second line |',
    );
    expect(details).toContain('| cheap | `gpt-4o-mini` | answered | 2 | 120 / 30 | 812 ms | $0.0001 |');
    expect(details).toContain('| flagship | `claude-sonnet` | answered | 1 | 120 / 28 | 2000 ms | $0.0030 |');
    expect(details).toContain('| $0.0001 | $0.0030 | $0 | $0.0031 | $0.0030 | −$0.0001 |');
  });

  it('names the failure and each call that gave no answer', () => {
    const details = cascadeDetails({
      policy,
      outcome: 'failed',
      reason: 'provider_unavailable',
      escalationReason: 'cheap_unavailable',
      tiers: [
        {
          tier: 'cheap',
          model: 'gpt-4o-mini',
          status: 'unavailable',
          attempts: 3,
          latencyMs: undefined,
          cost: { usd: 0, source: 'price-table' },
          errorType: 'provider_unavailable',
        },
      ],
      failure: 'the cheap tier (gpt-4o-mini) gave no answer: provider_unavailable',
    });
    expect(details.split('\n')[0]).toBe('**support · failed (provider_unavailable) · $0**');
    expect(details).toContain('| Failure | the cheap tier (gpt-4o-mini) gave no answer: provider_unavailable |');
    expect(details).toContain('| cheap | `gpt-4o-mini` | unavailable: provider_unavailable | 3 |  |  | $0 |');
  });

  it("names a tier's fallback models and the call each one replaced", () => {
    const details = cascadeDetails({
      policy: {
        ...policy,
        cheap: { ...policy.cheap, fallbackModels: [{ provider: 'anthropic', model: 'claude-haiku' }] },
      },
      tiers: [
        {
          tier: 'cheap',
          model: 'gpt-4o-mini',
          status: 'circuit_open',
          attempts: 1,
          latencyMs: undefined,
          cost: { usd: 0, source: 'unpriced' },
          errorType: 'CircuitOpen',
          fallbackTo: 'claude-haiku',
        },
      ],
    });
    expect(details).toMatch(/\| Cheap model \| `gpt-4o-mini` .*, then fallback `claude-haiku` \(anthropic\) \|/);
    expect(details).toContain('| cheap | `gpt-4o-mini` | circuit_open: CircuitOpen → fell back to claude-haiku | 1 |');
  });

  it('says a flagship-only route calls no cheap model and has no gate', () => {
    const details = cascadeDetails({ policy: { ...policy, mode: 'flagship-only' }, tiers: [] });
    expect(details).toContain('| Cheap model | not called (flagship-only route) |');
    expect(details).toContain('| Gate | none (flagship-only route) |');
  });
});

describe('verdictSummary', () => {
  it('holds the score to the threshold when there is one', () => {
    expect(
      verdictSummary({ gate: 'confidence', passed: true, score: 0.91, threshold: 0.8, reasons: [], detail: '' }),
    ).toBe('confidence passed · score 0.91 ≥ 0.80');
    expect(verdictSummary(rejected)).toBe('all rejected (low_confidence) · score 0.41');
  });
});
