import { calcPrice } from '@pydantic/genai-prices';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { priceProviderOf } from './price-usage';

/**
 * A model's context window in tokens: its spec's `contextWindowTokens`, else the one the price table
 * bundled with `@pydantic/genai-prices` records for it (looked up as its price is); `undefined` when
 * neither knows.
 */
export function contextWindowOf(model: ModelSpec): number | undefined {
  if (model.contextWindowTokens !== undefined) return model.contextWindowTokens;
  const providerId = priceProviderOf(model);
  const calculation = calcPrice(
    { input_tokens: 0, output_tokens: 0 },
    model.priceModel ?? model.model,
    providerId === undefined ? {} : { providerId },
  );
  return calculation?.model.context_window;
}
