import { z } from 'zod';
import type { ChatMessage } from '../contracts/cascade/chat-message';
import { routeOfModel } from '../client/route-model-name';
import { RefusedRequestError } from '../http/refused-request';

const textPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

const messageSchema = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(textPartSchema)]).nullish(),
  tool_calls: z.array(z.unknown()).nullish(),
});

const metadataKeySchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'keys are 1 to 64 letters, digits, _ . or -');

/**
 * The fields of an OpenAI Chat Completions request that a cascade reads. Fields it does not know are
 * accepted and ignored, as OpenAI-compatible servers do, except those whose meaning a cascade cannot keep
 * (tools, several choices, log-probabilities of the answer), which are refused by name.
 */
const chatCompletionBodySchema = z.looseObject({
  model: z.string().min(1, 'is required: the route to run, such as "support-ticket"'),
  messages: z.array(messageSchema).min(1, 'must hold at least one message'),
  temperature: z.number().min(0).max(2).nullish(),
  max_tokens: z.number().int().positive().max(1_000_000).nullish(),
  max_completion_tokens: z.number().int().positive().max(1_000_000).nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()) }),
      }),
    ])
    .nullish(),
  user: z.string().max(256).nullish(),
  metadata: z
    .record(metadataKeySchema, z.string().max(256))
    .refine((metadata) => Object.keys(metadata).length <= 16, 'holds at most 16 entries')
    .nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  n: z.literal(1, { error: 'a cascade answers one choice only' }).nullish(),
  logprobs: z.literal(false, { error: "a cascade does not return the answer's log-probabilities" }).nullish(),
  tools: z.array(z.unknown()).max(0, 'tools are not supported: a cascade answers with text').nullish(),
  functions: z.array(z.unknown()).max(0, 'functions are not supported: a cascade answers with text').nullish(),
});

/** A Chat Completions request as a cascade runs it. */
export interface ChatCompletionCall {
  /** The route, without a `cascade/` prefix. */
  route: string;
  /** The model name as the caller wrote it. */
  requestedModel: string;
  messages: ChatMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  /** From `response_format`: its `json_schema.schema`, or `{ type: 'object' }` for `json_object`. */
  outputSchema?: Record<string, unknown>;
  /** The `response_format` type that gave `outputSchema`. */
  responseFormat?: 'json_schema' | 'json_object';
  /** `user` as the tag `user`, and `metadata`'s entries. */
  tags: Record<string, string>;
  stream: boolean;
  /** `stream_options.include_usage`: end the stream with a usage chunk. */
  includeUsage: boolean;
}

/**
 * Reads a Chat Completions body; throws a `RefusedRequestError` (400) whose message and `param` name the
 * first bad field (`messages[2].content`), before anything is started.
 */
export function parseChatCompletionRequest(body: unknown): ChatCompletionCall {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new RefusedRequestError({ status: 400, message: 'the request body must be a JSON object' });
  const parsed = chatCompletionBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = paramOf(issue.path);
    throw new RefusedRequestError({ status: 400, message: `${param || '(body)'}: ${issue.message}`, param });
  }
  const request = parsed.data;
  const route = routeOfModel(request.model);
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const outputSchema =
    request.response_format?.type === 'json_schema'
      ? request.response_format.json_schema.schema
      : request.response_format?.type === 'json_object'
        ? { type: 'object' }
        : undefined;
  return {
    route,
    requestedModel: request.model,
    messages: request.messages.map(toChatMessage),
    ...(request.temperature != null ? { temperature: request.temperature } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    ...(outputSchema
      ? { outputSchema, responseFormat: request.response_format!.type as 'json_schema' | 'json_object' }
      : {}),
    tags: { ...(request.metadata ?? {}), ...(request.user ? { user: request.user } : {}) },
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
  };
}

type RequestMessage = z.infer<typeof messageSchema>;

/** A message as a cascade takes it: text only, `developer` read as `system`. */
function toChatMessage(message: RequestMessage, index: number): ChatMessage {
  const field = `messages[${index}]`;
  const role = message.role === 'developer' ? 'system' : message.role;
  if (role !== 'system' && role !== 'user' && role !== 'assistant')
    throw refused(
      `${field}.role`,
      `is "${message.role}": a cascade takes system, developer, user and assistant messages (no tool messages)`,
    );
  if (message.tool_calls && message.tool_calls.length > 0)
    throw refused(`${field}.tool_calls`, 'tool calls are not supported: a cascade answers with text');
  if (message.content == null) throw refused(`${field}.content`, 'is required');
  if (typeof message.content === 'string') return { role, content: message.content };
  const texts = message.content.map((part, partIndex) => {
    if (part.type !== 'text' || typeof part.text !== 'string')
      throw refused(
        `${field}.content[${partIndex}]`,
        `is a "${part.type}" part: a cascade takes text parts only ({ "type": "text", "text": "…" })`,
      );
    return part.text;
  });
  return { role, content: texts.join('') };
}

function refused(param: string, problem: string): RefusedRequestError {
  return new RefusedRequestError({ status: 400, message: `${param}: ${problem}`, param });
}

/** A zod path as OpenAI's `param`: `messages[2].content`. */
export function paramOf(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`))
    .join('');
}
