import { calcPrice } from '@pydantic/genai-prices';
import type { CostLine, TokenUsage } from '../../contracts/cascade/model-answer';
import type { ModelPrice, ModelSpec, ProviderKind } from '../../contracts/cascade/route-policy';

const tokensPerMillion = 1_000_000;

/** The price-table provider of each adapter, used when a model names no `priceProvider`. */
const priceProviderOfAdapter: Record<ProviderKind, string | undefined> = {
  openai: 'openai',
  anthropic: 'anthropic',
  // An OpenAI-compatible server may serve anything; the table is searched by model id across providers.
  'openai-compatible': undefined,
};

/**
 * What a model charges for a usage, in USD, unrounded.
 *
 * - With `model.price` (an override), source `override`: uncached input tokens
 *   (`inputTokens - cachedInputTokens`) at the input price, `cachedInputTokens` at the cached price
 *   (@default the input price), `outputTokens` at the output price.
 * - Else the price table bundled with `@pydantic/genai-prices` (offline; this module never updates it),
 *   source `price-table`: model `priceModel ?? model`, provider `priceProvider`, else the adapter's
 *   (`openai`, `anthropic`; none for `openai-compatible`).
 * - Else `{ usd: 0, source: 'unpriced' }`.
 *
 * Token conventions (those of the AI SDK's usage): `inputTokens` is all input, cached included;
 * `outputTokens` already includes reasoning tokens, so `reasoningTokens` is never charged again.
 * An undefined count prices as 0, and cached tokens beyond the input count are capped at it.
 * Cache writes have no field of their own and are priced as input.
 * Table prices that vary by date or time of day are taken at the current time.
 */
export function priceUsage(model: ModelSpec, usage: TokenUsage): CostLine {
  const counts = billableCounts(usage);
  if (model.price) return { usd: priceFromOverride(model.price, counts), source: 'override' };

  const providerId = priceProviderOf(model);
  const calculation = calcPrice(
    { input_tokens: counts.input, cache_read_tokens: counts.cachedInput, output_tokens: counts.output },
    model.priceModel ?? model.model,
    providerId === undefined ? {} : { providerId },
  );
  if (!calculation) return { usd: 0, source: 'unpriced' };
  return { usd: calculation.total_price, source: 'price-table' };
}

/** Where the price table looks a model up: its `priceProvider`, else its adapter's provider (none for `openai-compatible`). */
export function priceProviderOf(model: ModelSpec): string | undefined {
  return model.priceProvider ?? priceProviderOfAdapter[model.provider];
}

/** A USD amount rounded to 1e-10, for display; costs are summed unrounded. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e10) / 1e10;
}

interface BillableCounts {
  input: number;
  cachedInput: number;
  output: number;
}

function billableCounts(usage: TokenUsage): BillableCounts {
  const input = countOf(usage.inputTokens);
  return { input, cachedInput: Math.min(countOf(usage.cachedInputTokens), input), output: countOf(usage.outputTokens) };
}

function priceFromOverride(price: ModelPrice, counts: BillableCounts): number {
  const cachedPrice = price.cachedInputPerMillionUsd ?? price.inputPerMillionUsd;
  return (
    ((counts.input - counts.cachedInput) * price.inputPerMillionUsd +
      counts.cachedInput * cachedPrice +
      counts.output * price.outputPerMillionUsd) /
    tokensPerMillion
  );
}

/** A reported count, or 0 for an unreported (or unusable) one. */
function countOf(tokens: number | undefined): number {
  return tokens !== undefined && Number.isFinite(tokens) && tokens > 0 ? tokens : 0;
}
