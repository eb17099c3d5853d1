import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateNormalised } from './language-model-call';
import type { ModelProvider, ModelProviderAdapterOptions } from './model-provider';
import { openAIUsageWireFields } from './token-usage';

/**
 * A server that speaks the OpenAI Chat Completions API (Groq, Together, vLLM, llama.cpp...).
 * `@ai-sdk/openai-compatible` never asks for log-probabilities, so `logprobs` is always `undefined`;
 * use the `openai` adapter with `baseUrl` for a compatible server whose log-probabilities you need.
 * Without an API key no `Authorization` header is sent.
 */
export function createOpenAICompatibleModelProvider(options: ModelProviderAdapterOptions): ModelProvider {
  const { spec, apiKey, fetch } = options;
  if (!spec.baseUrl) {
    throw new Error(`ModelSpec.baseUrl is required for provider openai-compatible (model ${spec.model})`);
  }
  const model = createOpenAICompatible({ name: 'openai-compatible', baseURL: spec.baseUrl, apiKey, fetch }).chatModel(
    spec.model,
  );
  return {
    spec,
    generate: (request) => generateNormalised({ model, spec, request, usageWireFields: openAIUsageWireFields }),
  };
}
