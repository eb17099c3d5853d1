import { Hono, type Context, type Env, type Handler } from 'hono';
import type { BlankEnv } from 'hono/types';
import type { Logger } from 'pino';
import { openAIErrorBody, type OpenAIErrorStatus } from './openai-error';
import { RefusedRequestError } from './refused-request';

export interface HttpAppOptions {
  /** Logs a request that fails unexpectedly (answered 500) at `error`. @default no logging */
  logger?: Logger;
  /** The message of a 500. @default 'internal server error' */
  internalErrorMessage?: string;
}

/**
 * A Hono app that answers in OpenAI's error shape `{ error: { message, type, param, code } }`: a
 * `RefusedRequestError` thrown by a route gets its status, an unknown route a 404 `not_found`, any
 * other failure a 500 (logged). Serve it with `startHttpServer({ fetch: app.fetch })`.
 */
export function createHttpApp<AppEnv extends Env = BlankEnv>(options: HttpAppOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.notFound((context) =>
    openAIErrorResponse(context, {
      status: 404,
      message: `no route ${context.req.method} ${context.req.path}`,
      code: 'not_found',
    }),
  );
  app.onError((error, context) => {
    if (RefusedRequestError.isInstance(error)) return openAIErrorResponse(context, error);
    options.logger?.error({ err: error, method: context.req.method, path: context.req.path }, 'HTTP request failed');
    return openAIErrorResponse(context, {
      status: 500,
      message: options.internalErrorMessage ?? 'internal server error',
    });
  });
  return app;
}

/**
 * A route answering 405 with `Allow: method`; register it with `app.all(path, …)` after the route
 * of `method`, so the other methods of a known path are told which one it takes.
 */
export function methodNotAllowed(method: string): Handler {
  return (context) =>
    openAIErrorResponse(context, {
      status: 405,
      message: `${context.req.path} accepts ${method} only`,
      headers: { allow: method },
    });
}

/** Answers with `status` and an OpenAI-shaped error body. */
export function openAIErrorResponse(
  context: Context,
  options: {
    status: OpenAIErrorStatus;
    message: string;
    code?: string;
    param?: string;
    headers?: Record<string, string>;
  },
): Response {
  const body = openAIErrorBody({
    status: options.status,
    message: options.message,
    code: options.code,
    param: options.param,
  });
  return context.json(body, options.status, options.headers);
}
