import type { Client } from '@temporalio/client';
import type pino from 'pino';
import type { CostLedger } from '../operations/ledger/cost-ledger';
import { reconcileLedger } from '../operations/ledger/ledger-reconciliation';

export interface LedgerCatchUpOptions {
  client: Client;
  ledger: CostLedger;
  /** How often to look. */
  everyMs: number;
  /** How far back each look reaches: the longest ledger outage it repairs by itself. */
  windowMs: number;
  logger: pino.Logger;
}

/**
 * Writes, every `everyMs` (give or take a tenth, so workers started together do not look together), the
 * cost rows of cascades that closed in the last `windowMs` and are missing from the ledger: those whose
 * `recordOutcome` gave up while the ledger was down. Idempotent, so every worker may run it; an outage
 * longer than the window is repaired with `cascade ledger reconcile --since …`.
 */
export function startLedgerCatchUp(options: LedgerCatchUpOptions): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    const delay = options.everyMs * (0.9 + Math.random() * 0.2);
    timer = setTimeout(() => {
      running = catchUp().finally(schedule);
    }, delay);
    timer.unref();
  };
  const catchUp = async () => {
    const until = new Date();
    try {
      const tally = await reconcileLedger({
        client: options.client,
        ledger: options.ledger,
        since: new Date(until.getTime() - options.windowMs),
        until,
      });
      const log =
        tally.recorded > 0 ? options.logger.warn.bind(options.logger) : options.logger.debug.bind(options.logger);
      log({ ...tally }, tally.recorded > 0 ? 'cost ledger caught up: rows were missing' : 'cost ledger complete');
    } catch (error) {
      options.logger.warn({ err: error }, 'cost ledger catch-up failed; it runs again later');
    }
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
