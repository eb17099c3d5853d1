import { condition, sleep } from '@temporalio/workflow';
import { TicketWindow } from './backfill-ticket-window';

/** Lets cascades start no faster than a rate. */
export interface RateLimiter {
  /** Resolves when the next start is allowed, and counts it. */
  acquire(): Promise<void>;
}

/**
 * At most `ratePerSecond` starts per second (no limit when undefined): a window of tickets, refilled by
 * a timer that the window's first ticket starts (no timers while nothing starts).
 */
export function rateLimiter(ratePerSecond: number | undefined): RateLimiter {
  if (ratePerSecond === undefined) return { acquire: async () => undefined };
  const window = new TicketWindow(ratePerSecond);
  const refill = async () => {
    await sleep(window.windowMs);
    window.refill();
  };
  return {
    async acquire(): Promise<void> {
      await condition(() => window.available > 0);
      // A cancelled job stops refilling; nothing waits for tickets then.
      if (window.take()) void refill().catch(() => undefined);
    },
  };
}
