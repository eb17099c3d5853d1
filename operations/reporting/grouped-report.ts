import type { ReportedCascade } from './reported-cascade';
import { ReportInputError } from './report-input-error';
import { summarizeCascades, type CascadeSummary } from './summarize-cascades';

/**
 * What a report can group by: the `route`; the `customer` tag; the answering `tier` (`cheap`,
 * `flagship`, or `none` for a failure); the escalation `reason` (`accepted` when there was none); the
 * `outcome` (`accepted`, `escalated`, `failed`, `pre_routed`, `cheap_only`, `refused`); the answering
 * `model` (a fallback's, when one answered; `none` for a failure, `unknown` for cascades recorded before
 * it was kept).
 */
export const reportGroupKeys = ['route', 'customer', 'tier', 'reason', 'outcome', 'model'] as const;
export type ReportGroupKey = (typeof reportGroupKeys)[number];

/** The group value of a cascade that has none (no customer tag, no answering tier). */
export const noGroupValue = 'none';

/** The figures of a set of cascades: the cascade summary, plus the accepted share and judge cost. */
export interface ReportFigures extends Omit<CascadeSummary, 'accuracy'> {
  /** `accepted` over requests. */
  acceptedShare: number;
  /** The judge calls' share of `cascadeCostUsd`. */
  judgeCostUsd: number;
}

export interface ReportGroup extends ReportFigures {
  /** The group's value of each grouping key, e.g. `{ route: 'support-faq', tier: 'cheap' }`. */
  key: Partial<Record<ReportGroupKey, string>>;
}

export interface GroupedReport {
  by: ReportGroupKey[];
  /** Every cascade read. */
  total: ReportFigures;
  /** One per combination of the grouping keys' values that occurs, most requests first; none without keys. */
  groups: ReportGroup[];
}

/** Reads a comma-separated list of grouping keys (`route,tier`); an unknown key is a `ReportInputError`. */
export function parseGroupKeys(text: string): ReportGroupKey[] {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(reportGroupKeys as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new ReportInputError({
      message: `--by: unknown grouping key${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => JSON.stringify(name)).join(', ')}; use any of ${reportGroupKeys.join(', ')}`,
    });
  }
  return [...new Set(names as ReportGroupKey[])];
}

/** A cascade's value of one grouping key. */
export function groupValueOf(cascade: ReportedCascade, key: ReportGroupKey): string {
  switch (key) {
    case 'route':
      return cascade.route;
    case 'customer':
      return cascade.customer ?? noGroupValue;
    case 'tier':
      return cascade.outcome === 'failed' ? noGroupValue : (cascade.answerTier ?? noGroupValue);
    case 'reason':
      return cascade.escalationReason ?? (cascade.outcome === 'accepted' ? 'accepted' : noGroupValue);
    case 'outcome':
      return cascade.outcome;
    case 'model':
      if (cascade.outcome === 'failed' || cascade.outcome === 'refused') return noGroupValue;
      return cascade.answerModel ?? 'unknown';
  }
}

/** The figures of all cascades and of each group of them. */
export function buildGroupedReport(options: {
  cascades: readonly ReportedCascade[];
  by: readonly ReportGroupKey[];
}): GroupedReport {
  const by = [...options.by];
  const groups = new Map<string, CascadeGroup>();
  if (by.length > 0) {
    for (const cascade of options.cascades) {
      const values = by.map((key) => groupValueOf(cascade, key));
      const id = JSON.stringify(values);
      const group: CascadeGroup = groups.get(id) ?? {
        key: Object.fromEntries(by.map((key, index) => [key, values[index]])),
        cascades: [],
      };
      group.cascades.push(cascade);
      groups.set(id, group);
    }
  }
  return {
    by,
    total: figuresOf(options.cascades),
    groups: [...groups.entries()]
      .sort(
        ([leftId, left], [rightId, right]) =>
          right.cascades.length - left.cascades.length || leftId.localeCompare(rightId),
      )
      .map(([, group]) => ({ key: group.key, ...figuresOf(group.cascades) })),
  };
}

interface CascadeGroup {
  key: ReportGroup['key'];
  cascades: ReportedCascade[];
}

function figuresOf(cascades: readonly ReportedCascade[]): ReportFigures {
  // Reported cascades carry no correctness labels, so the summary has no accuracy part.
  const { accuracy: _accuracy, ...summary } = summarizeCascades(cascades);
  return {
    ...summary,
    acceptedShare: summary.requests === 0 ? 0 : summary.accepted / summary.requests,
    judgeCostUsd: cascades.reduce((total, cascade) => total + cascade.judgeUsd, 0),
  };
}
