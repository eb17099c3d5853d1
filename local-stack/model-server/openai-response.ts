import type { AnswerToken, ModelOutcome } from './served-model';

type Answer = Extract<ModelOutcome, { kind: 'answer' }>;

/** One token's entry in OpenAI's `choices[0].logprobs.content`. */
export interface OpenAITokenLogprob {
  token: string;
  logprob: number;
  bytes: null;
  top_logprobs: { token: string; logprob: number; bytes: null }[];
}

/** A non-streaming Chat Completions response body. */
export interface ChatCompletionBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: 0;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: { content: OpenAITokenLogprob[] } | null;
    finish_reason: 'stop' | 'length';
  }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

export interface BuildChatCompletionOptions {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  answer: Answer;
  /** Whether the request asked for logprobs. */
  logprobs: boolean;
  /**
   * Alternatives asked per token (`top_logprobs`): the token itself and its scripted alternatives, best
   * first, at most this many. @default 0
   */
  topLogprobs?: number;
  /** Cuts a truncatable answer to this many tokens, with `finish_reason: 'length'`. @default no limit */
  maximumTokens?: number;
}

/** Renders an answer as an OpenAI Chat Completions response. */
export function buildChatCompletion(options: BuildChatCompletionOptions): ChatCompletionBody {
  const { answer } = options;
  const cut = answer.truncatable && options.maximumTokens !== undefined && answer.tokens.length > options.maximumTokens;
  const tokens = cut ? answer.tokens.slice(0, options.maximumTokens) : answer.tokens;
  const text = cut ? tokens.map((entry) => entry.token).join('') : answer.text;
  const completionTokens = cut ? tokens.length : answer.completionTokens;
  const topLogprobs = options.topLogprobs ?? 0;
  const logprobContent = answer.hasLogprobs
    ? tokens.map((entry) => ({
        token: entry.token,
        logprob: entry.logprob,
        bytes: null,
        top_logprobs: mostLikely(entry, topLogprobs),
      }))
    : [];
  return {
    id: options.id,
    object: 'chat.completion',
    created: options.created,
    model: options.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: text, refusal: null },
        logprobs: options.logprobs ? { content: logprobContent } : null,
        finish_reason: cut ? 'length' : 'stop',
      },
    ],
    usage: {
      prompt_tokens: answer.promptTokens,
      completion_tokens: completionTokens,
      total_tokens: answer.promptTokens + completionTokens,
    },
  };
}

/** The token and its alternatives, best first (the token first on a tie), at most `count`; an alternative spelled as the token is dropped. */
function mostLikely(entry: AnswerToken, count: number): OpenAITokenLogprob['top_logprobs'] {
  if (count === 0) return [];
  const candidates = [
    { token: entry.token, logprob: entry.logprob },
    ...(entry.alternatives ?? []).filter((alternative) => alternative.token !== entry.token),
  ];
  // Array.prototype.sort is stable, so equal log-probabilities keep the token ahead of its alternatives.
  return candidates
    .sort((left, right) => right.logprob - left.logprob)
    .slice(0, count)
    .map(({ token, logprob }) => ({ token, logprob, bytes: null }));
}
