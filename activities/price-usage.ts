import type { CostLine, PriceUsageInput } from '../contracts/cascade/model-answer';
import { priceUsage as price } from '../models/pricing/price-usage';

/**
 * Builds the `priceUsage` local activity: what a model would charge for a usage. The cascade asks it
 * for the flagship-only cost of a request the cheap tier answered (the flagship's prices applied to
 * the cheap call's token counts).
 */
export function createPriceUsage() {
  return async function priceUsage(input: PriceUsageInput): Promise<CostLine> {
    return price(input.model, input.usage);
  };
}
