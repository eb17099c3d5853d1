import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import { contextWindowTokens, decidePreRouting, preRoutingProblems } from './pre-routing';

const policy: RoutePolicy = {
  route: 'support',
  cheap: {
    model: { provider: 'openai', model: 'gpt-4o-mini', maxOutputTokens: 1_000 },
    timeoutMs: 1_000,
    retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 },
  },
  flagship: {
    model: { provider: 'openai', model: 'gpt-4o' },
    timeoutMs: 1_000,
    retry: { initialIntervalMs: 100, backoffCoefficient: 2, maximumIntervalMs: 200, maximumAttempts: 2 },
  },
  gate: { kind: 'refusal' },
  retryAfterCapMs: 1_000,
  preRouting: {
    contextWindow: true,
    rules: [
      { name: 'legal', tags: { team: 'legal', region: 'eu' } },
      { name: 'traces', lastUserMessage: '^traceback', flags: 'im' },
      { name: 'invoices', outputSchema: 'invoice' },
    ],
  },
};

const ask = (
  content: string,
  extra: { tags?: Record<string, string>; outputSchema?: Record<string, unknown> } = {},
) => ({
  messages: [
    { role: 'system' as const, content: 'You classify tickets.' },
    { role: 'user' as const, content },
  ],
  tags: extra.tags ?? {},
  ...(extra.outputSchema ? { outputSchema: extra.outputSchema } : {}),
});

describe('decidePreRouting', () => {
  it('counts input tokens with a real tokenizer against the cheap context window, output bound included', () => {
    // gpt-4o-mini's window in the price table is 128,000 tokens; 1,000 are kept for the answer.
    expect(contextWindowTokens(policy)).toBe(128_000);
    expect(decidePreRouting(policy, ask('word '.repeat(100_000)))).toEqual({ direct: false });
    const decision = decidePreRouting(policy, ask('word '.repeat(127_500)));
    expect(decision).toMatchObject({ direct: true, reason: 'context_window' });
    expect(decision.direct && decision.detail).toMatch(
      /^12\d{4} input tokens \+ 1000 output > the cheap tier's context window of 128000$/,
    );
    // Not a word count: 20,000 words of digits are far more tokens than words.
    const digits = Array.from({ length: 40_000 }, (_unused, index) => String(104_729 * index)).join(' ');
    expect(decidePreRouting({ ...policy, preRouting: { contextWindow: 60_000 } }, ask(digits))).toMatchObject({
      direct: true,
      reason: 'context_window',
    });
  });

  it('takes the smallest window of a tier with fallbacks', () => {
    const withFallback = {
      ...policy,
      cheap: {
        ...policy.cheap,
        fallbackModels: [{ provider: 'openai' as const, model: 'x', contextWindowTokens: 8_000 }],
      },
    };
    expect(contextWindowTokens(withFallback)).toBe(8_000);
  });

  it('applies the first rule whose every condition holds', () => {
    expect(decidePreRouting(policy, ask('hello', { tags: { team: 'legal' } }))).toEqual({ direct: false });
    expect(decidePreRouting(policy, ask('hello', { tags: { team: 'legal', region: 'eu' } }))).toEqual({
      direct: true,
      reason: 'rule',
      rule: 'legal',
      detail: 'tags team=legal, region=eu',
    });
    expect(decidePreRouting(policy, ask('It failed.\nTRACEBACK (most recent call last)'))).toMatchObject({
      rule: 'traces',
    });
    expect(decidePreRouting(policy, ask('It failed, traceback below'))).toEqual({ direct: false });
    expect(
      decidePreRouting(policy, ask('x', { outputSchema: { $id: 'https://example.com/schemas/invoice' } })),
    ).toMatchObject({
      rule: 'invoices',
      detail: 'the output schema is invoice',
    });
    expect(decidePreRouting(policy, ask('x', { outputSchema: { title: 'invoices' } }))).toEqual({ direct: false });
  });

  it('reads the last user message only', () => {
    const request = ask('fine');
    request.messages.unshift({ role: 'user', content: 'Traceback: old' });
    expect(decidePreRouting(policy, request)).toEqual({ direct: false });
  });
});

describe('preRoutingProblems', () => {
  it('names a pattern the linear-time engine refuses, and a context window no one knows', () => {
    const problems = preRoutingProblems({
      ...policy,
      cheap: {
        ...policy.cheap,
        model: { provider: 'openai-compatible', model: 'local', baseUrl: 'http://127.0.0.1:1/v1' },
      },
      preRouting: { contextWindow: true, rules: [{ name: 'bad', lastUserMessage: '(a)\\1' }] },
    });
    expect(problems).toEqual([
      expect.stringContaining('preRouting.contextWindow: the context window of local is unknown'),
      expect.stringMatching(
        /^preRouting\.rules\.0\.lastUserMessage: pre-routing rule bad: .*cannot run on the linear-time engine/,
      ),
    ]);
    expect(preRoutingProblems(policy)).toEqual([]);
  });
});
