import { isRetryableStatus } from './http-retry';

describe('isRetryableStatus', () => {
  it('asks again after a timeout, a conflict, a rate limit or a server error, never after another 4xx', () => {
    expect([408, 409, 429, 500, 502, 503, 529].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 413, 422].some(isRetryableStatus)).toBe(false);
  });
});
