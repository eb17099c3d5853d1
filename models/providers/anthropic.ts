import { createAnthropic } from '@ai-sdk/anthropic';
import { generateNormalised } from './language-model-call';
import type { ModelProvider, ModelProviderAdapterOptions } from './model-provider';
import { anthropicUsageWireFields } from './token-usage';

/** Passed explicitly so the library never falls back to `ANTHROPIC_BASE_URL` from `process.env`. */
export const anthropicDefaultBaseUrl = 'https://api.anthropic.com/v1';

/**
 * Anthropic's Messages API. The key travels in the `x-api-key` header. Anthropic gives no
 * log-probabilities, so `logprobs` is always `undefined`. Without `spec.maxOutputTokens` the AI SDK
 * sends the model's own maximum, as the API requires `max_tokens`.
 */
export function createAnthropicModelProvider(options: ModelProviderAdapterOptions & { apiKey: string }): ModelProvider {
  const { spec, apiKey, fetch } = options;
  const model = createAnthropic({ baseURL: spec.baseUrl ?? anthropicDefaultBaseUrl, apiKey, fetch }).messages(
    spec.model,
  );
  return {
    spec,
    generate: (request) => generateNormalised({ model, spec, request, usageWireFields: anthropicUsageWireFields }),
  };
}
