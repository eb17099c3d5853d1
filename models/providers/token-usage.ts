import type { LanguageModelUsage } from 'ai';
import type { TokenUsage } from '../../contracts/cascade/model-answer';

/**
 * Where, in the provider's own usage object (`usage.raw`), each count lives. The AI SDK fills a count
 * the provider did not send with 0; the project wants `undefined` there, so a count is kept only when
 * its wire field is a number.
 */
export interface UsageWireFields {
  inputTokens: readonly string[];
  outputTokens: readonly string[];
  cachedInputTokens: readonly string[];
  reasoningTokens: readonly string[];
}

/** OpenAI Chat Completions usage, also sent by OpenAI-compatible servers (Groq, Together, vLLM...). */
export const openAIUsageWireFields: UsageWireFields = {
  inputTokens: ['prompt_tokens'],
  outputTokens: ['completion_tokens'],
  cachedInputTokens: ['prompt_tokens_details', 'cached_tokens'],
  reasoningTokens: ['completion_tokens_details', 'reasoning_tokens'],
};

/**
 * Anthropic Messages usage. `inputTokens` is the SDK's total (`input_tokens` plus cache reads and
 * cache writes), so that, as with OpenAI, cached input tokens are a part of the input tokens.
 */
export const anthropicUsageWireFields: UsageWireFields = {
  inputTokens: ['input_tokens'],
  outputTokens: ['output_tokens'],
  cachedInputTokens: ['cache_read_input_tokens'],
  reasoningTokens: ['output_tokens_details', 'thinking_tokens'],
};

export function normaliseUsage(usage: LanguageModelUsage, wireFields: UsageWireFields): TokenUsage {
  const reported = (value: number | undefined, path: readonly string[]): number | undefined =>
    usage.raw === undefined || typeof valueAt(usage.raw, path) === 'number' ? value : undefined;
  return {
    inputTokens: reported(usage.inputTokens, wireFields.inputTokens),
    outputTokens: reported(usage.outputTokens, wireFields.outputTokens),
    cachedInputTokens: reported(usage.inputTokenDetails.cacheReadTokens, wireFields.cachedInputTokens),
    reasoningTokens: reported(usage.outputTokenDetails.reasoningTokens, wireFields.reasoningTokens),
  };
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
