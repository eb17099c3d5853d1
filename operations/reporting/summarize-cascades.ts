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
  /** Requests the route's pre-routing sent straight to the flagship (`pre_routed`). */
  preRouted: number;
  /** Pre-routed requests by what sent them (`context_window`, `rule: <name>`). */
  preRoutedByReason: Record<string, number>;
  /** Requests a budget at its hard cap held to the cheap tier, whose rejected answer was returned. */
  cheapOnly: number;
  /** Requests a budget at its hard cap refused before any model call. */
  refused: number;
  /** Requests the gate (or the cheap tier's failure) sent to the flagship: escalated ones, and failed ones that had escalated. */
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
  // Pre-routed and refused requests carry a reason too, but no gate decided them.
  const escalations = records.filter(
    (record) =>
      record.escalationReason !== undefined &&
      (record.outcome === 'escalated' || (record.outcome === 'failed' && !isPreRoutingReason(record.escalationReason))),
  );
  const cascadeCostUsd = sum(records.map((record) => record.costUsd));
  const flagshipOnlyCostUsd = sum(records.map((record) => record.flagshipOnlyUsd));
  const savingUsd = flagshipOnlyCostUsd - cascadeCostUsd;
  const labelled = records.filter((record) => record.correct !== undefined);
  return {
    requests: records.length,
    accepted: count('accepted'),
    escalated: count('escalated'),
    failed: count('failed'),
    preRouted: count('pre_routed'),
    preRoutedByReason: tally(
      records.filter((record) => record.outcome === 'pre_routed').map((record) => record.escalationReason ?? 'unknown'),
    ),
    cheapOnly: count('cheap_only'),
    refused: count('refused'),
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

/** Whether an escalation reason is a pre-routing decision's (`context_window`, `rule: <name>`). */
function isPreRoutingReason(reason: string): boolean {
  return reason === 'context_window' || reason.startsWith('rule: ');
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
