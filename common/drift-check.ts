import { z } from 'zod';
import type { DriftEvaluation } from './drift-evaluation';

/** The workflow type other Temporal clients (and the drift schedules) use to start a drift check. */
export const escalationDriftCheckWorkflowType = 'escalationDriftCheck';

/** Answered cascades a window needs before it is judged, unless the thresholds say otherwise. */
export const defaultMinimumRequests = 30;

/** Route names as the routes file allows them; they end up in schedule ids and visibility queries. */
export const driftRouteNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'must be a route name: 1 to 100 letters, digits, _ . or -, starting with a letter or digit',
  );

/** What a route's escalation rate and cost are held to. Plain JSON. */
export const driftThresholdsSchema = z
  .object({
    /** The escalation rate the route is expected to run at, as a fraction (0.2 for 20%). */
    baselineEscalationRate: z
      .number()
      .min(0, 'must be a rate between 0 and 1')
      .max(1, 'must be a rate between 0 and 1'),
    /** How far the measured rate may move from the baseline, either way, in percentage points (10 for ±10 points). */
    maxDriftPoints: z
      .number()
      .gt(0, 'must be more than 0 percentage points')
      .max(100, 'must be at most 100 percentage points'),
    /**
     * The largest share of the flagship-only cost the cascade may cost (0.8: the cascade must cost at most 80% of
     * sending every request to the flagship). No cost check when absent.
     */
    maxCostShare: z.number().gt(0, 'must be a share of more than 0').optional(),
    /** Answered cascades needed before the window is judged. @default 30 */
    minRequests: z.number().int('must be a whole number').positive('must be at least 1').optional(),
  })
  .strict();
export type DriftThresholds = z.infer<typeof driftThresholdsSchema>;

/** The input of the `escalationDriftCheck` workflow, validated by the workflow itself. */
export const escalationDriftCheckInputSchema = z
  .object({
    route: driftRouteNameSchema,
    /** The window measured: cascades that closed in the last `windowMs` before the check ran. */
    windowMs: z.number().int('must be a whole number of milliseconds').min(1_000, 'must be at least 1 second'),
    thresholds: driftThresholdsSchema,
  })
  .strict();
export type EscalationDriftCheckInput = z.infer<typeof escalationDriftCheckInputSchema>;

/** The input of the `measureRecentCascades` activity. */
export interface MeasureRecentCascadesInput {
  route: string;
  windowMs: number;
}

/**
 * Sums of the finished cascades of a route in a window, as the `measureRecentCascades` activity reads
 * them. Only answered cascades (accepted or escalated) of live traffic count as requests: a failed
 * cascade has no flagship-only cost to compare with, back-fill jobs replay other traffic, and a request
 * of a flagship-only route (`direct_to_flagship`) ran no cascade whose escalation rate could drift.
 */
export interface RecentCascades {
  route: string;
  /** The window, ISO 8601: cascades that closed at or after `since` and before `until`. */
  since: string;
  until: string;
  /** Answered cascades: accepted plus escalated. */
  requests: number;
  /** Of those, the ones answered by the flagship after an escalation. */
  escalations: number;
  /** What the answered cascades paid. */
  cascadeCostUsd: number;
  /** What the same requests would have cost sent straight to the flagship. */
  flagshipOnlyCostUsd: number;
  /** Failed cascades in the window (not counted in `requests`). */
  failures: number;
  /** Cascades started by back-fill jobs in the window (not counted). */
  backfillCascades: number;
  /**
   * Answered requests the route sent straight to the flagship while it was flagship-only (not counted).
   * Absent in windows measured before routes had a mode.
   */
  directToFlagship?: number;
}

/** The input of the `raiseDriftAlert` activity: an evaluation whose status is `alert`, and its window. */
export interface RaiseDriftAlertInput {
  evaluation: DriftEvaluation;
  window: RecentCascades;
}

/** What `raiseDriftAlert` did besides logging: whether a webhook received the alert. */
export interface DriftAlertDelivery {
  /** `sent` when the webhook accepted it; `not_configured` when the worker has no webhook. */
  webhook: 'sent' | 'not_configured';
  /** The webhook's HTTP status, when it was sent. */
  statusCode?: number;
}

/** What a drift check returns: the evaluation, the window it measured, and how an alert went out. */
export interface EscalationDriftCheckResult extends DriftEvaluation {
  window: RecentCascades;
  /** Present when the check raised an alert. */
  alertDelivery?: DriftAlertDelivery;
}
