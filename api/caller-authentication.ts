import { timingSafeEqual } from 'node:crypto';
import { apiKeyHash, type ApiCaller } from '../config/api-section';
import { RefusedRequestError } from '../http/refused-request';

/** The caller of a server that takes requests without a key (loopback development, or `--no-auth`). */
export const openCaller: ApiCaller = {
  name: 'anonymous',
  keyHash: Buffer.alloc(32),
  customer: undefined,
  routes: undefined,
  requestsPerMinute: undefined,
};

/**
 * Finds the caller whose key the request's `Authorization: Bearer <key>` carries, comparing SHA-256
 * hashes in constant time. With no callers configured, every request is the open caller's. Throws a
 * `RefusedRequestError` (401) for a missing or unknown key.
 */
export function authenticateCaller(authorization: string | undefined, callers: readonly ApiCaller[]): ApiCaller {
  if (callers.length === 0) return openCaller;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match)
    throw new RefusedRequestError({
      status: 401,
      message: 'missing API key: send Authorization: Bearer <key> (the OpenAI clients send their apiKey so)',
    });
  const presented = apiKeyHash(match[1]!);
  let found: ApiCaller | undefined;
  // Every hash is compared, so the time taken does not say which caller came close.
  for (const caller of callers) if (timingSafeEqual(caller.keyHash, presented)) found ??= caller;
  if (!found) throw new RefusedRequestError({ status: 401, message: 'unknown API key', code: 'invalid_api_key' });
  return found;
}

/** Throws a `RefusedRequestError` (403) when the caller may not use the route. */
export function checkRouteAllowed(caller: ApiCaller, route: string): void {
  if (caller.routes && !caller.routes.includes(route))
    throw new RefusedRequestError({
      status: 403,
      message: `this API key may not use the route "${route}" (it may use: ${caller.routes.join(', ')})`,
      param: 'model',
    });
}
