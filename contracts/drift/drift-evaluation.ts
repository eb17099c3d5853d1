import { defaultMinimumRequests, type DriftThresholds } from './drift-thresholds';

/** What a drift check measured in its window. */
export interface MeasuredWindow {
  /** Answered cascades. */
  requests: number;
  /** Of those, the ones that escalated to the flagship. */
  escalations: number;
  /** What those cascades paid. */
  cascadeCostUsd: number;
  /** What the same requests would have cost sent straight to the flagship. */
  flagshipOnlyCostUsd: number;
  /** Requests of a flagship-only route, which ran no cascade (not in `requests`). @default 0 */
  directToFlagship?: number;
  /** Requests pre-routing sent straight to the flagship, and requests a budget refused (neither in `requests`). @default 0 */
  preRouted?: number;
  refused?: number;
  /** Canary comparisons of the window, and the agreeing ones, when they were measured. */
  canaryCompared?: number;
  canaryAgreed?: number;
}

export const driftStatuses = ['ok', 'insufficient_data', 'alert'] as const;
export type DriftStatus = (typeof driftStatuses)[number];

export const driftAlertKinds = ['escalation_rate_drift', 'cost_share_exceeded', 'canary_agreement_low'] as const;
export type DriftAlertKind = (typeof driftAlertKinds)[number];

/** One reason to alert, with its own one-line message. */
export type DriftAlert =
  | {
      kind: 'escalation_rate_drift';
      /** `up`: more requests escalate than the baseline says (cost); `down`: fewer (the gate may pass bad answers). */
      direction: 'up' | 'down';
      escalationRate: number;
      baselineEscalationRate: number;
      /** Measured rate minus baseline, in percentage points. */
      driftPoints: number;
      maxDriftPoints: number;
      message: string;
    }
  | {
      kind: 'cost_share_exceeded';
      /** The cascade's cost as a share of the flagship-only cost. */
      costShare: number;
      maxCostShare: number;
      message: string;
    }
  | {
      kind: 'canary_agreement_low';
      /** Agreed canary comparisons over all of them. */
      canaryAgreement: number;
      minCanaryAgreement: number;
      canaryCompared: number;
      message: string;
    };

/** Every figure a check judged by; a figure that cannot be computed is `undefined`, never a fake 0. */
export interface DriftFigures {
  requests: number;
  escalations: number;
  /** `escalations / requests`; undefined without requests. */
  escalationRate: number | undefined;
  baselineEscalationRate: number;
  /** `(escalationRate - baseline) * 100`; undefined without requests. */
  driftPoints: number | undefined;
  maxDriftPoints: number;
  cascadeCostUsd: number;
  flagshipOnlyCostUsd: number;
  /** `cascadeCostUsd / flagshipOnlyCostUsd`; undefined when the flagship-only cost is 0 (unpriced models). */
  costShare: number | undefined;
  maxCostShare: number | undefined;
  minRequests: number;
  /** Present when the check has a canary floor: comparisons, agreement (undefined without any) and the floor. */
  canaryCompared?: number;
  canaryAgreement?: number | undefined;
  minCanaryAgreement?: number;
}

/** The verdict of one drift check. Plain JSON. */
export interface DriftEvaluation {
  route: string;
  status: DriftStatus;
  /** Empty unless `status` is `alert`. */
  alerts: DriftAlert[];
  figures: DriftFigures;
  /** One line for logs, the Web UI and chat. */
  message: string;
}

/**
 * Judges a route's window against its thresholds: `insufficient_data` below `minRequests` answered
 * cascades; otherwise an alert when the escalation rate is **more than** `maxDriftPoints` percentage
 * points away from the baseline (either way), or when the cascade cost **more than** `maxCostShare` of
 * the flagship-only cost. Exactly at a limit is within it.
 */
export function evaluateDrift(options: {
  route: string;
  measured: MeasuredWindow;
  thresholds: DriftThresholds;
}): DriftEvaluation {
  const { route, measured, thresholds } = options;
  const escalationRate = measured.requests > 0 ? measured.escalations / measured.requests : undefined;
  const figures: DriftFigures = {
    requests: measured.requests,
    escalations: measured.escalations,
    escalationRate,
    baselineEscalationRate: thresholds.baselineEscalationRate,
    driftPoints:
      escalationRate === undefined
        ? undefined
        : withoutFloatNoise((escalationRate - thresholds.baselineEscalationRate) * 100),
    maxDriftPoints: thresholds.maxDriftPoints,
    cascadeCostUsd: measured.cascadeCostUsd,
    flagshipOnlyCostUsd: measured.flagshipOnlyCostUsd,
    costShare:
      measured.flagshipOnlyCostUsd > 0
        ? withoutFloatNoise(measured.cascadeCostUsd / measured.flagshipOnlyCostUsd)
        : undefined,
    maxCostShare: thresholds.maxCostShare,
    minRequests: thresholds.minRequests ?? defaultMinimumRequests,
    ...(thresholds.minCanaryAgreement !== undefined
      ? {
          canaryCompared: measured.canaryCompared ?? 0,
          canaryAgreement:
            measured.canaryCompared && measured.canaryAgreed !== undefined
              ? withoutFloatNoise(measured.canaryAgreed / measured.canaryCompared)
              : undefined,
          minCanaryAgreement: thresholds.minCanaryAgreement,
        }
      : {}),
  };

  if (measured.requests < figures.minRequests) {
    const seen =
      measured.requests === 0
        ? 'no answered cascades'
        : `${measured.requests} answered cascade${measured.requests === 1 ? '' : 's'}`;
    const direct = [
      measured.directToFlagship
        ? `${measured.directToFlagship} sent straight to the flagship: the route is flagship-only`
        : '',
      measured.preRouted ? `${measured.preRouted} pre-routed to the flagship` : '',
      measured.refused ? `${measured.refused} refused by a budget` : '',
    ]
      .filter(Boolean)
      .map((part, index) => (index === 0 ? ` (and ${part}` : `, ${part}`))
      .join('');
    const directNote = direct ? `${direct})` : '';
    return {
      route,
      status: 'insufficient_data',
      alerts: [],
      figures,
      message: `${route}: insufficient data · ${seen} in the window${directNote}, ${figures.minRequests} needed to judge`,
    };
  }

  const alerts: DriftAlert[] = [];
  if (
    figures.driftPoints !== undefined &&
    escalationRate !== undefined &&
    Math.abs(figures.driftPoints) > thresholds.maxDriftPoints
  ) {
    const direction = figures.driftPoints > 0 ? 'up' : 'down';
    alerts.push({
      kind: 'escalation_rate_drift',
      direction,
      escalationRate,
      baselineEscalationRate: thresholds.baselineEscalationRate,
      driftPoints: figures.driftPoints,
      maxDriftPoints: thresholds.maxDriftPoints,
      message: `${route}: escalation rate drifted ${direction} to ${percent(escalationRate)} from a baseline of ${percent(thresholds.baselineEscalationRate)} (${signedPoints(figures.driftPoints)}, limit ±${thresholds.maxDriftPoints}) over ${measured.requests} requests`,
    });
  }
  if (
    figures.costShare !== undefined &&
    thresholds.maxCostShare !== undefined &&
    figures.costShare > thresholds.maxCostShare
  ) {
    alerts.push({
      kind: 'cost_share_exceeded',
      costShare: figures.costShare,
      maxCostShare: thresholds.maxCostShare,
      message: `${route}: the cascade cost ${percent(figures.costShare)} of flagship-only (limit ${percent(thresholds.maxCostShare)}) over ${measured.requests} requests`,
    });
  }

  if (
    figures.minCanaryAgreement !== undefined &&
    figures.canaryAgreement !== undefined &&
    (figures.canaryCompared ?? 0) >= figures.minRequests &&
    figures.canaryAgreement < figures.minCanaryAgreement
  ) {
    alerts.push({
      kind: 'canary_agreement_low',
      canaryAgreement: figures.canaryAgreement,
      minCanaryAgreement: figures.minCanaryAgreement,
      canaryCompared: figures.canaryCompared ?? 0,
      message: `${route}: the flagship agreed with ${percent(figures.canaryAgreement)} of the accepted answers the canary compared (floor ${percent(figures.minCanaryAgreement)}) over ${figures.canaryCompared} comparisons`,
    });
  }
  const status: DriftStatus = alerts.length > 0 ? 'alert' : 'ok';
  const verdict = alerts.length > 0 ? `ALERT ${alerts.map(describeKind).join(', ')}` : 'ok';
  return { route, status, alerts, figures, message: `${route}: ${verdict} · ${describeFigures(figures)}` };
}

function describeKind(alert: DriftAlert): string {
  if (alert.kind === 'escalation_rate_drift') return `escalation rate drifted ${alert.direction}`;
  return alert.kind === 'cost_share_exceeded' ? 'cost share exceeded' : 'canary agreement low';
}

function describeFigures(figures: DriftFigures): string {
  const parts = [
    `escalation rate ${percent(figures.escalationRate ?? 0)} (baseline ${percent(figures.baselineEscalationRate)}, ${signedPoints(figures.driftPoints ?? 0)}, limit ±${figures.maxDriftPoints})`,
  ];
  if (figures.costShare !== undefined) {
    parts.push(
      `cost ${percent(figures.costShare)} of flagship-only${figures.maxCostShare !== undefined ? ` (limit ${percent(figures.maxCostShare)})` : ''}`,
    );
  } else if (figures.maxCostShare !== undefined) {
    parts.push('cost share unknown (no flagship-only cost)');
  }
  if (figures.minCanaryAgreement !== undefined) {
    parts.push(
      figures.canaryAgreement === undefined
        ? `no canary comparisons (floor ${percent(figures.minCanaryAgreement)})`
        : `canary agreement ${percent(figures.canaryAgreement)} of ${figures.canaryCompared} (floor ${percent(figures.minCanaryAgreement)}${(figures.canaryCompared ?? 0) < figures.minRequests ? `, ${figures.minRequests} needed to judge` : ''})`,
    );
  }
  parts.push(`${figures.requests} requests`);
  return parts.join(' · ');
}

/** 0.625 → `62.5%`. */
function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** 12.5 → `+12.5 points`, -3 → `-3 points`. */
function signedPoints(points: number): string {
  const rounded = Number(points.toFixed(1));
  return `${rounded > 0 ? '+' : ''}${rounded} points`;
}

/** Rounds away binary noise, so 0.35 - 0.25 is 10 points, not 9.999999999999998 or 10.000000000000002. */
function withoutFloatNoise(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
