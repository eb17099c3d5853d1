import type { OpenAIErrorBody } from '../../http/openai-error';
import type { ChatCompletionBody } from './openai-response';

/** A response as tests read it; `body` is cast to the shape the test expects. */
export interface TestResponse<Body> {
  status: number;
  headers: Headers;
  body: Body;
}

/** Posts a Chat Completions request over real HTTP (test helper). */
export async function postChatCompletion<Body = ChatCompletionBody>(options: {
  url: string;
  body: unknown;
  apiKey?: string;
  signal?: AbortSignal;
  /** Extra request headers, e.g. `x-cascade-dataset-row`. */
  headers?: Record<string, string>;
}): Promise<TestResponse<Body>> {
  const response = await fetch(`${options.url}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
      ...options.headers,
    },
    body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
    signal: options.signal,
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Body };
}

export type ErrorResponse = TestResponse<OpenAIErrorBody>;

/** A one-message user prompt for `model`. */
export function userPrompt(
  model: string,
  content: string,
): { model: string; messages: { role: 'user'; content: string }[] } {
  return { model, messages: [{ role: 'user', content }] };
}
