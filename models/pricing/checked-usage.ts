import type { ChatMessage } from '../../contracts/cascade/chat-message';
import type { TokenUsage } from '../../contracts/cascade/tokens';
import { estimateTokens } from './token-estimate';

/** More tokens than any model takes or gives in one call: a count above it is a provider's error. */
export const maximumTokensPerCall = 10_000_000;

/** Tokens a chat format adds per message (role and separators), as OpenAI documents for its models. */
const tokensPerMessage = 4;

/**
 * The usage to price a call by. Counts must be whole numbers from 0 to `maximumTokensPerCall`; an input
 * or output count that is missing or is not (a negative, fractional or absurd one) is estimated from the
 * text with a tokenizer, and the usage is marked `estimated`. A bad cached or reasoning count is dropped
 * (cached tokens beyond the input are already capped by pricing).
 */
export function checkedUsage(options: {
  usage: TokenUsage;
  messages: readonly ChatMessage[];
  answerText: string;
}): TokenUsage {
  const { usage } = options;
  const valid = (count: number | undefined): count is number =>
    count !== undefined && Number.isInteger(count) && count >= 0 && count <= maximumTokensPerCall;
  const inputValid = valid(usage.inputTokens);
  const outputValid = valid(usage.outputTokens);
  const checked: TokenUsage = {
    inputTokens: inputValid
      ? usage.inputTokens
      : options.messages.reduce((total, message) => total + tokensPerMessage + estimateTokens(message.content), 0),
    outputTokens: outputValid ? usage.outputTokens : estimateTokens(options.answerText),
    cachedInputTokens: valid(usage.cachedInputTokens) ? usage.cachedInputTokens : undefined,
    reasoningTokens: valid(usage.reasoningTokens) ? usage.reasoningTokens : undefined,
  };
  return inputValid && outputValid ? checked : { ...checked, estimated: true };
}
