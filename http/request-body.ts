import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { InvalidJsonBodyError, RequestTooLargeError } from './refused-request';

export interface RequestBodyLimitOptions {
  /** Largest body accepted, in bytes. */
  limitBytes: number;
  /** Runs before a body over the limit is refused, e.g. to count the call. @default nothing */
  onRefused?: (context: Context) => void;
}

/**
 * Middleware refusing a body larger than `limitBytes` with a `RequestTooLargeError` (413), by its
 * `Content-Length` when it sends one, else as it streams in.
 */
export function limitRequestBody(options: RequestBodyLimitOptions): MiddlewareHandler {
  return bodyLimit({
    maxSize: options.limitBytes,
    onError: (context) => {
      options.onRefused?.(context);
      throw new RequestTooLargeError({ limitBytes: options.limitBytes });
    },
  });
}

/** The request body parsed as JSON, whatever its `Content-Type`; throws an `InvalidJsonBodyError` (400) when it is not JSON. */
export async function readJsonBody(context: Context): Promise<unknown> {
  const text = await context.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidJsonBodyError();
  }
}
