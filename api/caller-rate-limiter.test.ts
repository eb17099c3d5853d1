import type { ApiCaller } from '../config/api-section';
import { RefusedRequestError } from '../http/refused-request';
import { CallerRateLimiter } from './caller-rate-limiter';

const caller = (name: string, requestsPerMinute?: number): ApiCaller => ({
  name,
  keyHash: Buffer.alloc(32),
  customer: undefined,
  routes: undefined,
  requestsPerMinute,
});

describe('CallerRateLimiter', () => {
  it("takes a minute's worth at once, then one request per 60/rate seconds, with Retry-After", () => {
    let now = 0;
    const limiter = new CallerRateLimiter({ now: () => now });
    const app = caller('app', 6);
    for (let index = 0; index < 6; index += 1) limiter.take(app);
    let refused: RefusedRequestError | undefined;
    try {
      limiter.take(app);
    } catch (error) {
      refused = error as RefusedRequestError;
    }
    expect(refused?.status).toBe(429);
    expect(refused?.headers).toEqual({ 'retry-after': '10' });
    now = 9_000;
    expect(() => limiter.take(app)).toThrow(RefusedRequestError);
    now = 10_000;
    expect(() => limiter.take(app)).not.toThrow();
  });

  it('keeps callers apart, and never holds back a caller without a rate', () => {
    const limiter = new CallerRateLimiter({ now: () => 0 });
    limiter.take(caller('one', 1));
    expect(() => limiter.take(caller('one', 1))).toThrow(RefusedRequestError);
    expect(() => limiter.take(caller('two', 1))).not.toThrow();
    for (let index = 0; index < 10_000; index += 1) limiter.take(caller('free'));
  });
});
