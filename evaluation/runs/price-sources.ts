import type { PriceSource } from '../../contracts/cascade/model-answer';
import type { ModelSpec, RoutePolicy } from '../../contracts/cascade/route-policy';
import { priceUsage } from '../../models/pricing/price-usage';

/** Where the prices of one tier's model come from. Plain JSON. */
export interface TierPriceSource {
  tier: 'cheap' | 'flagship';
  model: string;
  source: PriceSource;
}

const probe = { inputTokens: 1_000, outputTokens: 1_000, cachedInputTokens: undefined, reasoningTokens: undefined };

/** Where a model's prices come from: its `price` override, the price table, or nowhere. */
export function priceSourceOf(model: ModelSpec): PriceSource {
  return priceUsage(model, probe).source;
}

/** The price source of each tier of a policy: the route's `price` override, the price table, or none. */
export function priceSourcesOf(policy: RoutePolicy): TierPriceSource[] {
  return (['cheap', 'flagship'] as const).map((tier) => ({
    tier,
    model: policy[tier].model.model,
    source: priceSourceOf(policy[tier].model),
  }));
}

/** Whether the tiers are priced from different sources, so a comparison of their costs mixes them. */
export function mixesPriceSources(sources: readonly TierPriceSource[]): boolean {
  return new Set(sources.map((entry) => entry.source)).size > 1;
}

const sourceNames: Record<PriceSource, string> = {
  'price-table': 'the price table (genai-prices)',
  override: "the routes file's price",
  unpriced: 'no price (counted as $0)',
};

/** `prices: gpt-4o-mini and gpt-4o from the price table (genai-prices)`, or per model when they differ. */
export function describePriceSources(sources: readonly TierPriceSource[]): string {
  if (!mixesPriceSources(sources))
    return `prices: ${sources.map((entry) => entry.model).join(' and ')} from ${sourceNames[sources[0]!.source]}`;
  return (
    `prices: ${sources.map((entry) => `${entry.model} from ${sourceNames[entry.source]}`).join(', ')} ` +
    '(warning: the two tiers are priced from different sources, so cost comparisons between them mix sources)'
  );
}
