import type pino from 'pino';
import type { RaiseDriftAlertInput, RecentCascades } from '../../contracts/drift/drift-check';
import type { DriftAlert, DriftFigures } from '../../contracts/drift/drift-evaluation';

/** The JSON body POSTed to the alert webhook. */
export interface DriftAlertPayload {
  /** The one-line message, under the key chat webhooks (Slack, Mattermost, Teams connectors) display. */
  text: string;
  /** The same on every retry of one check's alert (also sent as `Idempotency-Key`). */
  alertId: string;
  route: string;
  status: 'alert';
  alerts: DriftAlert[];
  figures: DriftFigures;
  window: RecentCascades;
  /** The drift-check workflow, to find it in the Web UI. */
  workflowId: string;
}

export function driftAlertPayload(options: {
  input: RaiseDriftAlertInput;
  workflowId: string;
  alertId: string;
}): DriftAlertPayload {
  const { evaluation, window } = options.input;
  return {
    text: evaluation.message,
    alertId: options.alertId,
    route: evaluation.route,
    status: 'alert',
    alerts: evaluation.alerts,
    figures: evaluation.figures,
    window,
    workflowId: options.workflowId,
  };
}

/**
 * Logs each alert of a check as one line at error level: route, kind (and direction), the check's
 * figures and window, and the alert's message, so log-based alerting can match on `kind`.
 */
export function logDriftAlert(logger: pino.Logger, payload: DriftAlertPayload): void {
  for (const alert of payload.alerts) {
    const { message, kind, ...alertFigures } = alert;
    logger.error(
      {
        route: payload.route,
        kind,
        ...alertFigures,
        figures: payload.figures,
        window: { since: payload.window.since, until: payload.window.until },
        alertId: payload.alertId,
        workflowId: payload.workflowId,
      },
      message,
    );
  }
}
