import { createOpenAI } from '@ai-sdk/openai';
import type { ProviderMetadata } from 'ai';
import type { TokenLogprob } from '../common/model-answer';
import { generateNormalised } from './language-model-call';
import type { ModelProvider, ModelProviderAdapterOptions } from './model-provider';
import { openAIUsageWireFields } from './token-usage';

/** Passed explicitly so the library never falls back to `OPENAI_BASE_URL` from `process.env`. */
export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';

/**
 * OpenAI's Chat Completions API, or any server that speaks it (`spec.baseUrl`). With `spec.logprobs`
 * it sends `logprobs: true` and returns the answer's token log-probabilities; reasoning models (o-series,
 * gpt-5) do not give them, and `logprobs` is then `undefined`.
 */
export function createOpenAIModelProvider(options: ModelProviderAdapterOptions & { apiKey: string }): ModelProvider {
  const { spec, apiKey, fetch } = options;
  const model = createOpenAI({ baseURL: spec.baseUrl ?? openAIDefaultBaseUrl, apiKey, fetch }).chat(spec.model);
  const providerOptions = spec.logprobs ? { openai: { logprobs: true } } : undefined;
  return {
    spec,
    generate: (request) => generateNormalised({ model, spec, request, providerOptions, usageWireFields: openAIUsageWireFields, readLogprobs: spec.logprobs ? readLogprobs : undefined }),
  };
}

/** `providerMetadata.openai.logprobs` is `[{ token, logprob, top_logprobs }]`; only token and logprob are kept. */
function readLogprobs(providerMetadata: ProviderMetadata | undefined): TokenLogprob[] | undefined {
  const entries = providerMetadata?.openai?.logprobs;
  if (!Array.isArray(entries)) return undefined;
  const logprobs: TokenLogprob[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
    const { token, logprob } = entry;
    if (typeof token !== 'string' || typeof logprob !== 'number') return undefined;
    logprobs.push({ token, logprob });
  }
  return logprobs;
}
