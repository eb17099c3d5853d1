import { apiKeyHash, type ApiCaller } from '../config/api-section';
import { RefusedRequestError } from '../http/refused-request';
import { authenticateCaller, checkRouteAllowed, openCaller } from './caller-authentication';

const callers: ApiCaller[] = [
  { name: 'web', keyHash: apiKeyHash('web-key'), customer: 'acme', routes: undefined, requestsPerMinute: undefined },
  { name: 'batch', keyHash: apiKeyHash('batch-key'), customer: undefined, routes: ['extract'], requestsPerMinute: 5 },
];

function status(action: () => unknown): number | undefined {
  try {
    action();
  } catch (error) {
    return RefusedRequestError.isInstance(error) ? error.status : undefined;
  }
  return undefined;
}

describe('authenticateCaller', () => {
  it('finds the caller of a bearer key', () => {
    expect(authenticateCaller('Bearer web-key', callers).name).toBe('web');
    expect(authenticateCaller('bearer  batch-key ', callers).name).toBe('batch');
  });

  it('refuses a missing, malformed or unknown key with 401', () => {
    expect(status(() => authenticateCaller(undefined, callers))).toBe(401);
    expect(status(() => authenticateCaller('web-key', callers))).toBe(401);
    expect(status(() => authenticateCaller('Bearer web-key2', callers))).toBe(401);
  });

  it('takes every request as the open caller when no caller is configured', () => {
    expect(authenticateCaller(undefined, [])).toBe(openCaller);
  });
});

describe('checkRouteAllowed', () => {
  it('refuses a route outside the caller’s list with 403', () => {
    expect(status(() => checkRouteAllowed(callers[1]!, 'tickets'))).toBe(403);
    expect(status(() => checkRouteAllowed(callers[1]!, 'extract'))).toBeUndefined();
    expect(status(() => checkRouteAllowed(callers[0]!, 'tickets'))).toBeUndefined();
  });
});
