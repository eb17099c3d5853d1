import { z } from 'zod';
import type { DriftEvaluation } from './drift-evaluation';
import { driftThresholdsSchema } from './drift-thresholds';

export { defaultMinimumRequests, driftThresholdsSchema, type DriftThresholds } from './drift-thresholds';

/** The workflow type other Temporal clients (and the drift schedules) use to start a drift check. */
export const escalationDriftCheckWorkflowType = 'escalationDriftCheck';

/** Route names as the routes file allows them; they end up in schedule ids and visibility queries. */
export const driftRouteNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'must be a route name: 1 to 100 letters, digits, _ . or -, starting with a letter or digit',
  );

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
  /** Also count the route's canaries that closed in the window. Absent in checks without a canary floor. */
  canary?: true;
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
  /**
   * Requests the route's pre-routing sent straight to the flagship (not counted: no gate decided them).
   * Absent in windows measured before pre-routing.
   */
  preRouted?: number;
  /** Requests a budget at its hard cap refused (not counted). Absent in windows measured before budgets. */
  refused?: number;
  /** Canaries that compared the two answers in the window, when the check asked for them. */
  canaryCompared?: number;
  /** Of those, the ones in which the flagship agreed with the accepted answer. */
  canaryAgreed?: number;
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
