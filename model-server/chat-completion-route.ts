import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { datasetRowHeader, describeIssues } from '../common/cascade-request';
import { promptKey } from '../datasets/prompt-key';
import type { CallLog } from './call-log';
import { chatCompletionRequestSchema, maximumCompletionTokens, toPromptMessages } from './chat-completion-request';
import type { FaultCounter } from './fault-counter';
import { readBodyText, RequestTooLargeError, sendJson } from './http-body';
import { openAIErrorBody, type OpenAIErrorStatus } from './openai-error';
import { buildChatCompletion } from './openai-response';
import type { ServedModel } from './served-model';

/** What the chat completions route needs from the server. */
export interface ChatCompletionRouteContext {
  models: ReadonlyMap<string, ServedModel>;
  callLog: CallLog;
  faultCounter: FaultCounter;
  apiKey: string | undefined;
  bodyLimitBytes: number;
  /** Aborted when the server stops, so no latency wait outlives it. */
  stopSignal: AbortSignal;
  nextCompletionId(): string;
  logger: Logger | undefined;
}

/** `POST /v1/chat/completions`: validates, counts, and answers with the served model's outcome. */
export async function handleChatCompletion(
  context: ChatCompletionRouteContext,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const at = new Date().toISOString();
  const datasetRowId = readDatasetRowId(request);
  let model = '';
  let key: string | null = null;
  const record = (status: number | null): void =>
    context.callLog.record({
      model,
      status,
      promptKey: key,
      at,
      ...(datasetRowId === undefined ? {} : { datasetRowId }),
    });
  const fail = (options: {
    status: OpenAIErrorStatus;
    message: string;
    code?: string;
    param?: string;
    retryAfterSeconds?: number;
  }): void => {
    record(options.status);
    const headers: Record<string, string> =
      options.retryAfterSeconds === undefined ? {} : { 'retry-after': String(options.retryAfterSeconds) };
    sendJson(response, { status: options.status, body: openAIErrorBody(options), headers });
  };

  let bodyText: string;
  try {
    bodyText = await readBodyText(request, { limitBytes: context.bodyLimitBytes });
  } catch (error) {
    if (RequestTooLargeError.isInstance(error)) return fail({ status: 413, message: error.message });
    throw error;
  }
  const body = parseJsonOrUndefined(bodyText);
  if (typeof body === 'object' && body !== null && 'model' in body && typeof body.model === 'string')
    model = body.model;

  // As at OpenAI, a missing key is reported before anything wrong with the body.
  if (!isAuthorized(request, context.apiKey)) {
    return fail({ status: 401, message: 'missing or incorrect API key: send Authorization: Bearer <key>' });
  }
  if (body === undefined)
    return fail({ status: 400, message: 'the request body is not valid JSON', code: 'invalid_json' });
  const parsed = chatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) {
    return fail({ status: 400, message: describeIssues(parsed.error), param: parsed.error.issues[0]?.path.join('.') });
  }
  const chatRequest = parsed.data;
  const messages = toPromptMessages(chatRequest.messages);
  key = promptKey(messages);
  if (chatRequest.stream === true) {
    return fail({
      status: 400,
      message: 'stream: true is not supported by the local model server; send stream: false',
      code: 'streaming_unsupported',
      param: 'stream',
    });
  }
  const served = context.models.get(model);
  if (served === undefined) {
    const known = [...context.models.keys()].join(', ') || '(none)';
    return fail({
      status: 404,
      message: `The model "${model}" does not exist on this model server; it serves: ${known}`,
      param: 'model',
    });
  }

  const callNumber = context.faultCounter.nextCall({ model, promptKey: key });
  const outcome = served.answer({
    model,
    messages,
    promptKey: key,
    callNumber,
    temperature: chatRequest.temperature ?? undefined,
    datasetRowId,
  });
  context.logger?.debug(
    { model, promptKey: key, datasetRowId, callNumber, outcome: outcome.kind },
    'chat completion call',
  );
  if (outcome.kind === 'hang') {
    // The response is left open on purpose; the client's timeout or stop() ends the connection.
    record(null);
    return;
  }
  if (outcome.kind === 'error') return fail(outcome);

  record(200);
  if (
    outcome.latencyMs > 0 &&
    !(await waitUnlessAborted({ milliseconds: outcome.latencyMs, response, stopSignal: context.stopSignal }))
  )
    return;
  sendJson(response, {
    status: 200,
    body: buildChatCompletion({
      id: context.nextCompletionId(),
      model,
      created: Math.floor(Date.now() / 1000),
      answer: outcome,
      logprobs: chatRequest.logprobs === true,
      topLogprobs: chatRequest.top_logprobs ?? 0,
      maximumTokens: maximumCompletionTokens(chatRequest),
    }),
  });
}

/** The `X-Cascade-Dataset-Row` header: which replay-dataset row the caller re-asks, if any. */
function readDatasetRowId(request: IncomingMessage): string | undefined {
  const value = request.headers[datasetRowHeader];
  return typeof value === 'string' ? value : undefined;
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether the request carries the server's key, when it has one. */
export function isAuthorized(request: IncomingMessage, apiKey: string | undefined): boolean {
  return apiKey === undefined || request.headers.authorization === `Bearer ${apiKey}`;
}

/** Waits, unless the server stops or the client goes away first; tells whether to still answer. */
async function waitUnlessAborted(options: {
  milliseconds: number;
  response: ServerResponse;
  stopSignal: AbortSignal;
}): Promise<boolean> {
  const clientGone = new AbortController();
  const onClose = (): void => clientGone.abort();
  options.response.once('close', onClose);
  try {
    await delay(options.milliseconds, undefined, { signal: AbortSignal.any([options.stopSignal, clientGone.signal]) });
    return true;
  } catch {
    return false;
  } finally {
    options.response.off('close', onClose);
  }
}
