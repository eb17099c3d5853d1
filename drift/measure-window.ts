import type { RecentCascades } from '../common/drift-check';
import type { CascadeRecordReader } from '../reporting/reported-cascade';

/**
 * Reads the cascades of a route that closed in `[until - windowMs, until)` and sums what a drift check
 * judges. Failed cascades and back-fill jobs' cascades are counted apart, not as requests.
 */
export async function measureWindow(options: { reader: CascadeRecordReader; route: string; windowMs: number; until: Date }): Promise<RecentCascades> {
  const since = new Date(options.until.getTime() - options.windowMs);
  const records = await options.reader.read({ since, until: options.until, route: options.route });
  const window: RecentCascades = {
    route: options.route,
    since: since.toISOString(),
    until: options.until.toISOString(),
    requests: 0,
    escalations: 0,
    cascadeCostUsd: 0,
    flagshipOnlyCostUsd: 0,
    failures: 0,
    backfillCascades: 0,
  };
  for (const record of records) {
    // The reader filters by route; a reader that cannot must not mix routes into the rate.
    if (record.route !== options.route) continue;
    if (record.backfillJob !== undefined) {
      window.backfillCascades += 1;
      continue;
    }
    if (record.outcome === 'failed') {
      window.failures += 1;
      continue;
    }
    window.requests += 1;
    if (record.outcome === 'escalated') window.escalations += 1;
    window.cascadeCostUsd += record.costUsd;
    window.flagshipOnlyCostUsd += record.flagshipOnlyUsd;
  }
  return window;
}
