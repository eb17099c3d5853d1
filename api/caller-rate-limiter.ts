import type { ApiCaller } from '../config/api-section';
import { RefusedRequestError } from '../http/refused-request';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * Each caller's `requestsPerMinute`, as a token bucket holding a minute's worth that refills evenly, in
 * this process. A caller without a rate is never held back.
 */
export class CallerRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Takes one request from the caller's bucket; throws a `RefusedRequestError` (429, `Retry-After`) when empty. */
  take(caller: ApiCaller): void {
    const rate = caller.requestsPerMinute;
    if (rate === undefined) return;
    const now = this.now();
    const perMs = rate / 60_000;
    const capacity = Math.max(1, rate);
    const bucket = this.buckets.get(caller.name) ?? { tokens: capacity, updatedMs: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedMs) * perMs);
    bucket.updatedMs = now;
    this.buckets.set(caller.name, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    throw new RefusedRequestError({
      status: 429,
      message: `rate limit of ${rate} requests per minute reached for caller ${caller.name}: retry after ${retryAfterSeconds} s`,
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}
