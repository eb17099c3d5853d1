import pMap from 'p-map';
import type { CascadeClient } from '../../client/cascade-client';
import { CascadeFailedError } from '../../client/cascade-errors';
import type { CascadeResult } from '../../contracts/cascade/cascade-result';
import type { RouteCatalog } from '../../config/route-catalog';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import type { CascadeRecord } from '../../operations/reporting/cascade-record';
import { summarizeCascades, type CascadeSummary } from '../../operations/reporting/summarize-cascades';
import type { DemoItem } from './demo-workload';

export interface DemoRunOptions {
  client: CascadeClient;
  routes: RouteCatalog;
  items: readonly DemoItem[];
  /** Cascades in flight at once. */
  concurrency: number;
  /** Called after each finished cascade. */
  onProgress?: (done: number, total: number) => void;
}

export interface DemoReport extends CascadeSummary {
  routes: Record<string, CascadeSummary>;
}

/** Sends the demo's requests through real cascades, `concurrency` at a time, and summarises them. */
export async function runDemoRequests(
  options: DemoRunOptions,
): Promise<{ report: DemoReport; records: CascadeRecord[] }> {
  let done = 0;
  const records = await pMap(
    options.items,
    async (item) => {
      const record = await runOne(options, item);
      done += 1;
      options.onProgress?.(done, options.items.length);
      return record;
    },
    { concurrency: Math.max(1, options.concurrency) },
  );

  const byRoute: Record<string, CascadeSummary> = {};
  for (const route of [...new Set(records.map((record) => record.route))]) {
    byRoute[route] = summarizeCascades(records.filter((record) => record.route === route));
  }
  return { report: { ...summarizeCascades(records), routes: byRoute }, records };
}

async function runOne(options: DemoRunOptions, item: DemoItem): Promise<CascadeRecord> {
  const startedAt = performance.now();
  const policy = options.routes.get(item.request.route);
  const labels = labelsOf(item.row, policy.cheap.model.model, policy.flagship.model.model);
  try {
    const result: CascadeResult = await options.client.run(item.request);
    const latencyMs = performance.now() - startedAt;
    const answerCorrect = item.row?.responses[result.answer.model]?.correct;
    return {
      route: result.route,
      outcome: result.outcome,
      ...(result.escalationReason ? { escalationReason: result.escalationReason } : {}),
      costUsd: result.cost.totalUsd,
      flagshipOnlyUsd: result.cost.flagshipOnlyUsd,
      latencyMs,
      ...labels,
      ...(answerCorrect !== undefined ? { correct: answerCorrect } : {}),
    };
  } catch (error) {
    if (!CascadeFailedError.isInstance(error)) throw error;
    const details = (error.details ?? {}) as {
      escalationReason?: string;
      cost?: { totalUsd?: number };
      tiers?: Array<{ errorType?: string }>;
    };
    const lastTier = details.tiers?.[details.tiers.length - 1];
    return {
      route: item.request.route,
      outcome: 'failed',
      ...(details.escalationReason ? { escalationReason: details.escalationReason } : {}),
      failureType: lastTier?.errorType ?? error.type,
      costUsd: details.cost?.totalUsd ?? 0,
      flagshipOnlyUsd: 0,
      latencyMs: performance.now() - startedAt,
      ...labels,
      ...(item.row ? { correct: false } : {}),
    };
  }
}

function labelsOf(
  row: RecordedRow | undefined,
  cheapModel: string,
  flagshipModel: string,
): Pick<CascadeRecord, 'cheapCorrect' | 'flagshipCorrect'> {
  const cheapCorrect = row?.responses[cheapModel]?.correct;
  const flagshipCorrect = row?.responses[flagshipModel]?.correct;
  return {
    ...(cheapCorrect !== undefined ? { cheapCorrect } : {}),
    ...(flagshipCorrect !== undefined ? { flagshipCorrect } : {}),
  };
}
