/**
 * When an HTTP answer is worth asking again, and how long it asks to wait: one rule for the model
 * providers and the alert webhook alike.
 */

/**
 * 408 (timeout), 409 (conflict), 429 (rate limited) and every 5xx (Anthropic's 529 included) are worth
 * another attempt; any other 4xx is the request's fault and fails at once.
 */
export function isRetryableStatus(statusCode: number): boolean {
  return statusCode === 408 || statusCode === 409 || statusCode === 429 || statusCode >= 500;
}

/**
 * The delay a response asks for before the next attempt, in milliseconds: `retry-after-ms` (OpenAI),
 * else `Retry-After` as seconds or as an HTTP date. `undefined` when absent or unreadable.
 */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | Headers | undefined,
  now: number = Date.now(),
): number | undefined {
  if (headers === undefined) return undefined;
  const header = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
    return key === undefined ? undefined : headers[key];
  };
  const milliseconds = header('retry-after-ms')?.trim();
  if (milliseconds && /^\d+(\.\d+)?$/.test(milliseconds)) return Math.ceil(Number(milliseconds));
  const value = header('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
