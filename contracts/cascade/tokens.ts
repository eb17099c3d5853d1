/** Token counts as the provider reported them; `undefined` where it reported none, never a fake 0. */
export interface TokenUsage {
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  cachedInputTokens: number | undefined;
  reasoningTokens: number | undefined;
  /**
   * The provider's input or output count was missing or impossible (negative, fractional, absurd), so
   * it was estimated from the text with a tokenizer (`checkedUsage`). Absent when the provider's counts
   * were used.
   */
  estimated?: true;
}

/** One generated token with its log-probability, as the provider returned it. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  /**
   * The most likely tokens at this position, best first, as the provider returned them (OpenAI's
   * `top_logprobs`; it may include the token itself). Absent when none were asked for (`topLogprobs`
   * of the model spec) or returned.
   */
  topLogprobs?: Array<{ token: string; logprob: number }>;
}
