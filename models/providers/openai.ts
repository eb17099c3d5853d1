import { createOpenAI } from '@ai-sdk/openai';
import type { ProviderMetadata } from 'ai';
import type { TokenLogprob } from '../../contracts/cascade/tokens';
import { generateNormalised } from './language-model-call';
import type { ModelProvider, ModelProviderAdapterOptions } from './model-provider';
import { openAIUsageWireFields } from './token-usage';

/** Passed explicitly so the library never falls back to `OPENAI_BASE_URL` from `process.env`. */
export const openAIDefaultBaseUrl = 'https://api.openai.com/v1';

/**
 * OpenAI's Chat Completions API, or any server that speaks it (`spec.baseUrl`). With `spec.logprobs`
 * it sends `logprobs: true` and returns the answer's token log-probabilities, and with
 * `spec.topLogprobs` also `top_logprobs: N`, returning each token's N most likely alternatives as
 * `topLogprobs`; reasoning models (o-series, gpt-5) give neither, and `logprobs` is then `undefined`.
 * A refusal (the API's `message.refusal`) is the answer's text, with its log-probabilities, and
 * finish reason `content-filter`.
 */
export function createOpenAIModelProvider(options: ModelProviderAdapterOptions & { apiKey: string }): ModelProvider {
  const { spec, apiKey, fetch } = options;
  const model = createOpenAI({ baseURL: spec.baseUrl ?? openAIDefaultBaseUrl, apiKey, fetch }).chat(spec.model);
  // The AI SDK sends `logprobs: true` with `top_logprobs: N` for a number N, and `top_logprobs: 0` for `true`.
  const providerOptions = spec.logprobs ? { openai: { logprobs: spec.topLogprobs ?? true } } : undefined;
  return {
    spec,
    generate: (request) =>
      generateNormalised({
        model,
        spec,
        request,
        providerOptions,
        usageWireFields: openAIUsageWireFields,
        readLogprobs: spec.logprobs ? readLogprobs : undefined,
      }),
  };
}

/**
 * `providerMetadata.openai.logprobs` is `[{ token, logprob, top_logprobs: [{ token, logprob }] }]`;
 * token and logprob are kept, and `top_logprobs` as `topLogprobs` when it is not empty. A malformed
 * entry means no log-probabilities at all, rather than some of them.
 */
function readLogprobs(providerMetadata: ProviderMetadata | undefined): TokenLogprob[] | undefined {
  const entries = providerMetadata?.openai?.logprobs;
  if (!Array.isArray(entries)) return undefined;
  const logprobs: TokenLogprob[] = [];
  for (const entry of entries) {
    const read = readTokenLogprob(entry);
    if (read === undefined) return undefined;
    const alternatives = isObject(entry) ? entry.top_logprobs : undefined;
    if (
      alternatives === undefined ||
      alternatives === null ||
      (Array.isArray(alternatives) && alternatives.length === 0)
    ) {
      logprobs.push(read);
      continue;
    }
    if (!Array.isArray(alternatives)) return undefined;
    const topLogprobs = alternatives.map(readTokenLogprob);
    if (!topLogprobs.every((alternative) => alternative !== undefined)) return undefined;
    logprobs.push({ ...read, topLogprobs });
  }
  return logprobs;
}

function readTokenLogprob(entry: unknown): { token: string; logprob: number } | undefined {
  if (!isObject(entry)) return undefined;
  const { token, logprob } = entry;
  return typeof token === 'string' && typeof logprob === 'number' ? { token, logprob } : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
