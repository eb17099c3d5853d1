import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { billedUsageOf, type CascadeSummary } from '../client/cascade-summary';
import { textChunks } from '../client/text-chunks';

/** OpenAI's `usage`: the tokens of every call the cascade was billed for. */
export interface ChatCompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A Chat Completions response, with the cascade's own account of the answer under `cascade`. */
export interface CascadeChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  /** The model that answered (the cheap one, or the flagship after an escalation). */
  model: string;
  choices: Array<{
    index: 0;
    message: { role: 'assistant'; content: string; refusal: null };
    logprobs: null;
    finish_reason: OpenAIFinishReason;
  }>;
  usage: ChatCompletionUsage;
  cascade: CascadeSummary;
}

export type OpenAIFinishReason = 'stop' | 'length' | 'content_filter';

export interface CompletionParts {
  /** `chatcmpl-…`, the same for a repeat of one request. */
  id: string;
  /** Unix seconds. */
  created: number;
  result: CascadeResult;
  summary: CascadeSummary;
}

export function chatCompletionOf(parts: CompletionParts): CascadeChatCompletion {
  return {
    id: parts.id,
    object: 'chat.completion',
    created: parts.created,
    model: parts.result.answer.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: parts.result.answer.text, refusal: null },
        logprobs: null,
        finish_reason: openAIFinishReasonOf(parts.result.answer.finishReason),
      },
    ],
    usage: usageOf(parts.result),
    cascade: parts.summary,
  };
}

/**
 * The answer as Server-Sent Events in OpenAI's chunk format: the role, the text in pieces, the finish
 * reason with the `cascade` summary, a usage chunk when asked for, then `data: [DONE]`. The cascade has
 * ended before this is written, so the text streamed is the answer that stands.
 */
export function chatCompletionEvents(parts: CompletionParts & { includeUsage: boolean }): string {
  const base = {
    id: parts.id,
    object: 'chat.completion.chunk',
    created: parts.created,
    model: parts.result.answer.model,
  };
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ ...base, choices, ...extra })}\n\n`;
  const usageField = parts.includeUsage ? { usage: null } : {};
  const events = [
    chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }], usageField),
    ...textChunks(parts.result.answer.text).map((piece) =>
      chunk([{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], usageField),
    ),
    chunk(
      [
        {
          index: 0,
          delta: {},
          logprobs: null,
          finish_reason: openAIFinishReasonOf(parts.result.answer.finishReason),
        },
      ],
      { ...usageField, cascade: parts.summary },
    ),
  ];
  if (parts.includeUsage) events.push(chunk([], { usage: usageOf(parts.result) }));
  events.push('data: [DONE]\n\n');
  return events.join('');
}

function usageOf(result: CascadeResult): ChatCompletionUsage {
  const usage = billedUsageOf(result);
  return { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.totalTokens };
}

/** OpenAI's finish reason for the adapter's (`stop`, `length`, `content-filter`, ...); `stop` when unknown. */
export function openAIFinishReasonOf(finishReason: string | undefined): OpenAIFinishReason {
  if (finishReason === 'length') return 'length';
  if (finishReason === 'content-filter' || finishReason === 'content_filter') return 'content_filter';
  return 'stop';
}
