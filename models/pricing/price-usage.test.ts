import type { TokenUsage } from '../../contracts/cascade/model-answer';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { priceUsage, roundUsd } from './price-usage';

/**
 * Per-million prices as published in the data bundled with @pydantic/genai-prices 0.1.8 (which match
 * the providers' price pages). The expectations multiply token counts by these, so a test failing after
 * a package update points at a changed price, not at a magic number.
 */
const published = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'claude-3-5-haiku': { input: 0.8, cachedInput: 0.08, output: 4 },
};

function usage(counts: Partial<TokenUsage>): TokenUsage {
  return {
    inputTokens: undefined,
    outputTokens: undefined,
    cachedInputTokens: undefined,
    reasoningTokens: undefined,
    ...counts,
  };
}

function expectedUsd(
  price: { input: number; cachedInput: number; output: number },
  counts: { input: number; cached: number; output: number },
): number {
  return (
    ((counts.input - counts.cached) * price.input + counts.cached * price.cachedInput + counts.output * price.output) /
    1_000_000
  );
}

const llama: ModelSpec = { provider: 'openai-compatible', model: 'llama3.1-405b', baseUrl: 'http://localhost:8000/v1' };

describe('priceUsage with a price override', () => {
  const model: ModelSpec = {
    ...llama,
    price: { inputPerMillionUsd: 3, outputPerMillionUsd: 5, cachedInputPerMillionUsd: 0.5 },
  };

  it('prices input and output tokens at the override prices', () => {
    const cost = priceUsage(model, usage({ inputTokens: 1_200, outputTokens: 300 }));
    expect(cost.source).toBe('override');
    expect(cost.usd).toBeCloseTo((1_200 * 3 + 300 * 5) / 1_000_000, 15);
  });

  it('prices cached input tokens at the cached price, and the rest of the input at the input price', () => {
    const cost = priceUsage(model, usage({ inputTokens: 1_200, cachedInputTokens: 1_000, outputTokens: 300 }));
    expect(cost).toEqual({
      usd: expect.closeTo((200 * 3 + 1_000 * 0.5 + 300 * 5) / 1_000_000, 15),
      source: 'override',
    });
  });

  it('prices cached input tokens at the input price when no cached price is set', () => {
    const noCachedPrice: ModelSpec = { ...llama, price: { inputPerMillionUsd: 3, outputPerMillionUsd: 5 } };
    const withCache = priceUsage(
      noCachedPrice,
      usage({ inputTokens: 1_200, cachedInputTokens: 1_000, outputTokens: 300 }),
    );
    const withoutCache = priceUsage(noCachedPrice, usage({ inputTokens: 1_200, outputTokens: 300 }));
    expect(withCache.usd).toBeCloseTo(withoutCache.usd, 15);
  });

  it('does not charge reasoning tokens again: output tokens already include them', () => {
    const withReasoning = priceUsage(model, usage({ inputTokens: 100, outputTokens: 900, reasoningTokens: 800 }));
    expect(withReasoning.usd).toBeCloseTo((100 * 3 + 900 * 5) / 1_000_000, 15);
  });

  it('counts undefined token counts as 0', () => {
    expect(priceUsage(model, usage({}))).toEqual({ usd: 0, source: 'override' });
    expect(priceUsage(model, usage({ outputTokens: 10 })).usd).toBeCloseTo((10 * 5) / 1_000_000, 15);
  });

  it('caps cached tokens at the input tokens', () => {
    const cost = priceUsage(model, usage({ inputTokens: 100, cachedInputTokens: 400 }));
    expect(cost.usd).toBeCloseTo((100 * 0.5) / 1_000_000, 15);
  });

  it('wins over the price table', () => {
    const negotiated: ModelSpec = {
      provider: 'openai',
      model: 'gpt-4o',
      price: { inputPerMillionUsd: 1, outputPerMillionUsd: 2 },
    };
    const cost = priceUsage(negotiated, usage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }));
    expect(cost).toEqual({ usd: 3, source: 'override' });
  });
});

describe('priceUsage from the price table', () => {
  const counts = { input: 12_345, cached: 2_345, output: 678 };
  const tokenUsage = usage({
    inputTokens: counts.input,
    cachedInputTokens: counts.cached,
    outputTokens: counts.output,
    reasoningTokens: 100,
  });

  it.each(['gpt-4o-mini', 'gpt-4o'] as const)('prices %s (provider openai) at its published prices', (name) => {
    const cost = priceUsage({ provider: 'openai', model: name }, tokenUsage);
    expect(cost.source).toBe('price-table');
    expect(cost.usd).toBeCloseTo(expectedUsd(published[name], counts), 12);
  });

  it('prices gpt-4o-mini without cached tokens', () => {
    const cost = priceUsage(
      { provider: 'openai', model: 'gpt-4o-mini' },
      usage({ inputTokens: 1_000, outputTokens: 500 }),
    );
    expect(cost.usd).toBeCloseTo(expectedUsd(published['gpt-4o-mini'], { input: 1_000, cached: 0, output: 500 }), 12);
  });

  it('prices a dated model id by its family', () => {
    const cost = priceUsage({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18' }, tokenUsage);
    expect(cost).toEqual({
      usd: expect.closeTo(expectedUsd(published['gpt-4o-mini'], counts), 12),
      source: 'price-table',
    });
  });

  it('prices an Anthropic model (claude-3-5-haiku) at its published prices, cache reads included', () => {
    const cost = priceUsage({ provider: 'anthropic', model: 'claude-3-5-haiku-20241022' }, tokenUsage);
    expect(cost.source).toBe('price-table');
    expect(cost.usd).toBeCloseTo(expectedUsd(published['claude-3-5-haiku'], counts), 12);
  });

  it('looks up priceModel and priceProvider when they are given', () => {
    const served: ModelSpec = {
      provider: 'openai-compatible',
      model: 'my-proxy-alias',
      baseUrl: 'http://proxy/v1',
      priceModel: 'gpt-4o',
      priceProvider: 'openai',
    };
    const cost = priceUsage(served, tokenUsage);
    expect(cost).toEqual({ usd: expect.closeTo(expectedUsd(published['gpt-4o'], counts), 12), source: 'price-table' });
  });

  it('prices no usage as 0 from the table', () => {
    expect(priceUsage({ provider: 'openai', model: 'gpt-4o' }, usage({}))).toEqual({ usd: 0, source: 'price-table' });
  });
});

describe('priceUsage of a model nobody prices', () => {
  const tokenUsage = usage({ inputTokens: 1_000, outputTokens: 100 });

  it('is unpriced for an unknown model', () => {
    expect(priceUsage({ provider: 'openai', model: 'gpt-imaginary-9' }, tokenUsage)).toEqual({
      usd: 0,
      source: 'unpriced',
    });
  });

  it('is unpriced for an unknown price provider', () => {
    expect(priceUsage({ provider: 'openai', model: 'gpt-4o', priceProvider: 'nobody' }, tokenUsage)).toEqual({
      usd: 0,
      source: 'unpriced',
    });
  });

  it.each(['llama3.1-405b', 'meta-llama/Llama-3.1-405B-Instruct', 'qwen2.5-72b'])(
    'is unpriced for the open model %s the table lacks',
    (model) => {
      expect(priceUsage({ ...llama, model }, tokenUsage)).toEqual({ usd: 0, source: 'unpriced' });
    },
  );

  it('is priced once the open model has an override', () => {
    const cost = priceUsage({ ...llama, price: { inputPerMillionUsd: 3, outputPerMillionUsd: 3 } }, tokenUsage);
    expect(cost).toEqual({ usd: expect.closeTo((1_100 * 3) / 1_000_000, 15), source: 'override' });
  });
});

describe('roundUsd', () => {
  it('rounds to 1e-10 USD', () => {
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
    expect(roundUsd(0.00000000012345)).toBe(0.0000000001);
    expect(roundUsd(1.23456789012345)).toBe(1.2345678901);
    expect(roundUsd(0)).toBe(0);
  });
});
