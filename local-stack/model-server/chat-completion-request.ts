import { z } from 'zod';
import type { PromptMessage } from '../../evaluation/datasets/prompt-key';

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const requestMessageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
  content: z.union([z.string(), z.array(contentPartSchema)]).nullish(),
});

/**
 * The fields of an OpenAI Chat Completions request that the model server reads; other fields are
 * accepted and ignored. Answers stay deterministic whatever the `temperature`: above 0, it only makes
 * a scripted mix draw its branch per call (see `ModelCall.temperature`).
 */
export const chatCompletionRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(requestMessageSchema).min(1),
    stream: z.boolean().nullish(),
    logprobs: z.boolean().nullish(),
    top_logprobs: z.number().int().min(0).max(20).nullish(),
    max_tokens: z.number().int().positive().nullish(),
    max_completion_tokens: z.number().int().positive().nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    n: z.literal(1, { error: 'the local model server answers one choice only' }).nullish(),
  })
  .refine((request) => request.top_logprobs == null || request.logprobs === true, {
    path: ['top_logprobs'],
    message: 'requires logprobs: true',
  });

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/**
 * The messages as plain text: string content as is, content parts as their text parts joined,
 * no content as `''`; `developer` (OpenAI's newer name for `system`) is read as `system`, so a
 * request matches a recorded prompt whichever name its client uses.
 */
export function toPromptMessages(messages: ChatCompletionRequest['messages']): PromptMessage[] {
  return messages.map((message) => ({
    role: message.role === 'developer' ? 'system' : message.role,
    content:
      typeof message.content === 'string'
        ? message.content
        : (message.content ?? []).map((part) => (part.type === 'text' ? (part.text ?? '') : '')).join(''),
  }));
}

/** The most tokens the answer may have: `max_completion_tokens`, else `max_tokens`, else no limit. */
export function maximumCompletionTokens(request: ChatCompletionRequest): number | undefined {
  return request.max_completion_tokens ?? request.max_tokens ?? undefined;
}
