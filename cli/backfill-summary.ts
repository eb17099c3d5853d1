import type { BackfillProgress } from '../contracts/backfill/backfill-job';
import type { CascadeRecordReader } from '../operations/reporting/reported-cascade';
import { sortedByCount, summarizeCascades, type CascadeSummary } from '../operations/reporting/summarize-cascades';
import { renderSummaryTable } from '../operations/reporting/summary-table';

export interface BackfillSummary {
  job: BackfillProgress;
  /** The demo's summary, for the job: counts and costs from the job's own totals, latency from visibility. */
  summary: CascadeSummary;
  /** Cascades of the job that visibility listed (latency comes from these). */
  cascadesListed: number;
}

/**
 * The job's summary. Counts and costs are the job's own totals (exact, and they include rows that
 * never became a cascade); latency percentiles per path come from the cascades' visibility records,
 * waited for briefly since visibility lags a moment behind.
 */
export async function summarizeBackfill(options: {
  progress: BackfillProgress;
  reader: CascadeRecordReader;
  waitMs?: number;
}): Promise<BackfillSummary> {
  const { progress } = options;
  const counters = progress.counters;
  const invalid = counters.failuresByType.InvalidCascadeRequest ?? 0;
  const expected = Math.max(0, counters.done - invalid);
  const since = new Date(Date.parse(progress.startedAt) - 60_000);
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let records = await options.reader.read({ since, backfillJob: progress.jobId });
  while (records.length < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    records = await options.reader.read({ since, backfillJob: progress.jobId });
  }
  const escalations = Object.values(counters.escalationsByReason).reduce((total, count) => total + count, 0);
  const savingUsd = counters.flagshipOnlyUsd - counters.costUsd;
  return {
    job: progress,
    cascadesListed: records.length,
    summary: {
      requests: counters.done,
      accepted: counters.accepted,
      escalated: counters.escalated,
      failed: counters.failed,
      preRouted: counters.preRouted ?? 0,
      preRoutedByReason: {},
      cheapOnly: counters.cheapOnly ?? 0,
      refused: counters.refused ?? 0,
      escalations,
      escalationRate: counters.done === 0 ? 0 : escalations / counters.done,
      escalationsByReason: sortedByCount(counters.escalationsByReason),
      failuresByType: sortedByCount(counters.failuresByType),
      cascadeCostUsd: counters.costUsd,
      flagshipOnlyCostUsd: counters.flagshipOnlyUsd,
      savingUsd,
      savingsPct: counters.flagshipOnlyUsd === 0 ? 0 : (savingUsd / counters.flagshipOnlyUsd) * 100,
      latency: summarizeCascades(records).latency,
    },
  };
}

/** The demo's table for the job, then its failed requests (which `cascade backfill retry` runs again). */
export function renderBackfillSummary(backfill: BackfillSummary): string {
  const job = backfill.job;
  const title = `Back-fill ${job.jobId} · ${job.status} · route ${job.route} · ${job.runs} run${job.runs === 1 ? '' : 's'}`;
  const lines = [renderSummaryTable(backfill.summary, { title })];
  if (job.counters.alreadyDone > 0)
    lines.push(
      '',
      `${job.counters.alreadyDone} requests had finished in an earlier run of the job: counted, not paid again.`,
    );
  if (job.failures.length > 0) {
    lines.push('', `Failed requests (retry them with: cascade backfill retry ${job.jobId}):`);
    lines.push(
      ...job.failures.slice(0, 50).map((failure) => `  ${failure.requestId}  ${failure.type}  ${failure.reason}`),
    );
    const more = job.failures.length - 50 + job.failuresNotListed;
    if (more > 0)
      lines.push(`  … ${more} more (--json lists those the job kept; a table source marks every failed row)`);
  }
  return lines.join('\n');
}
