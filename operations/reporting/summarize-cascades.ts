import { quantileSorted } from 'simple-statistics';
import type { CascadeRecord } from './cascade-record';

export interface LatencySummary {
  count: number;
  p50Ms: number | undefined;
  p95Ms: number | undefined;
}

export interface AccuracySummary {
  /** Rows with a correctness label. */
  labelled: number;
  cheapOnly: number;
  flagshipOnly: number;
  cascade: number;
}

export interface CascadeSummary {
  requests: number;
  accepted: number;
  escalated: number;
  failed: number;
  /** Requests sent to the flagship: escalated ones, and failed ones that had escalated. */
  escalations: number;
  /** `escalations` over requests. */
  escalationRate: number;
  /** Escalations by reason, failed ones included. */
  escalationsByReason: Record<string, number>;
  failuresByType: Record<string, number>;
  cascadeCostUsd: number;
  flagshipOnlyCostUsd: number;
  savingUsd: number;
  /** Saving over flagship-only cost, in percent; negative when the cascade cost more. */
  savingsPct: number;
  latency: Record<'accepted' | 'escalated' | 'failed', LatencySummary>;
  /** Present when some records carry correctness labels. */
  accuracy?: AccuracySummary;
}

/** Totals, rates and latency percentiles of a set of finished cascades. */
export function summarizeCascades(records: readonly CascadeRecord[]): CascadeSummary {
  const count = (outcome: CascadeRecord['outcome']) => records.filter((record) => record.outcome === outcome).length;
  const escalations = records.filter((record) => record.escalationReason !== undefined);
  const cascadeCostUsd = sum(records.map((record) => record.costUsd));
  const flagshipOnlyCostUsd = sum(records.map((record) => record.flagshipOnlyUsd));
  const savingUsd = flagshipOnlyCostUsd - cascadeCostUsd;
  const labelled = records.filter((record) => record.correct !== undefined);
  return {
    requests: records.length,
    accepted: count('accepted'),
    escalated: count('escalated'),
    failed: count('failed'),
    escalations: escalations.length,
    escalationRate: records.length === 0 ? 0 : escalations.length / records.length,
    escalationsByReason: tally(escalations.map((record) => record.escalationReason!)),
    failuresByType: tally(
      records.filter((record) => record.outcome === 'failed').map((record) => record.failureType ?? 'unknown'),
    ),
    cascadeCostUsd,
    flagshipOnlyCostUsd,
    savingUsd,
    savingsPct: flagshipOnlyCostUsd === 0 ? 0 : (savingUsd / flagshipOnlyCostUsd) * 100,
    latency: {
      accepted: latencyOf(records, 'accepted'),
      escalated: latencyOf(records, 'escalated'),
      failed: latencyOf(records, 'failed'),
    },
    ...(labelled.length > 0
      ? {
          accuracy: {
            labelled: labelled.length,
            cheapOnly: share(labelled, (record) => record.cheapCorrect === true),
            flagshipOnly: share(labelled, (record) => record.flagshipCorrect === true),
            cascade: share(labelled, (record) => record.correct === true),
          },
        }
      : {}),
  };
}

function latencyOf(records: readonly CascadeRecord[], outcome: CascadeRecord['outcome']): LatencySummary {
  const values = records
    .filter((record) => record.outcome === outcome)
    .map((record) => record.latencyMs)
    .sort((left, right) => left - right);
  if (values.length === 0) return { count: 0, p50Ms: undefined, p95Ms: undefined };
  return { count: values.length, p50Ms: quantileSorted(values, 0.5), p95Ms: quantileSorted(values, 0.95) };
}

function tally(values: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return sortedByCount(counts);
}

/** The counts, most frequent first (the order summaries list reasons and failure types in). */
export function sortedByCount(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).sort((left, right) => right[1] - left[1]));
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
