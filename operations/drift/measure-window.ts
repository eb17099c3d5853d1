import type { RecentCascades } from '../../contracts/drift/drift-check';
import { escalationReasons } from '../../contracts/cascade/gate-verdict';
import type { CascadeRecordReader } from '../reporting/reported-cascade';

/**
 * Reads the cascades of a route that closed in `[until - windowMs, until)` and sums what a drift check
 * judges. Failed cascades, back-fill jobs' cascades and requests of a flagship-only route are counted
 * apart, not as requests: none of them says how often the route's gate escalates.
 */
export async function measureWindow(options: {
  reader: CascadeRecordReader;
  route: string;
  windowMs: number;
  until: Date;
}): Promise<RecentCascades> {
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
    directToFlagship: 0,
  };
  for (const record of records) {
    // The reader filters by route; a reader that cannot must not mix routes into the rate.
    if (record.route !== options.route) continue;
    if (record.backfillJob !== undefined) {
      window.backfillCascades += 1;
      continue;
    }
    // Pre-routed and refused requests say nothing of how often the gate escalates.
    if (record.outcome === 'pre_routed') {
      window.preRouted = (window.preRouted ?? 0) + 1;
      continue;
    }
    if (record.outcome === 'refused') {
      window.refused = (window.refused ?? 0) + 1;
      continue;
    }
    if (record.outcome === 'failed') {
      window.failures += 1;
      continue;
    }
    // A route switched to flagship-only escalates everything by choice; counted as escalations, it would
    // read as drift (and as a cost share of 100%) on every check until its schedule was changed.
    if (record.escalationReason === escalationReasons.directToFlagship) {
      window.directToFlagship = (window.directToFlagship ?? 0) + 1;
      continue;
    }
    window.requests += 1;
    if (record.outcome === 'escalated') window.escalations += 1;
    window.cascadeCostUsd += record.costUsd;
    window.flagshipOnlyCostUsd += record.flagshipOnlyUsd;
  }
  return window;
}
