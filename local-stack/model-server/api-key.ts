import type { Context } from 'hono';
import type { RefusedRequestOptions } from '../../http/refused-request';

/** Whether the request carries `Authorization: Bearer <apiKey>`; always when the server has no key. */
export function isAuthorized(context: Context, apiKey: string | undefined): boolean {
  return apiKey === undefined || context.req.header('authorization') === `Bearer ${apiKey}`;
}

/** The 401 for a request without the server's key. */
export const unauthorizedRefusal: RefusedRequestOptions = {
  status: 401,
  message: 'missing or incorrect API key: send Authorization: Bearer <key>',
};
