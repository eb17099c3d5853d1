import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type pino from 'pino';
import type {
  DriftAlertDelivery,
  MeasureRecentCascadesInput,
  RaiseDriftAlertInput,
  RecentCascades,
} from '../../contracts/drift/drift-check';
import type { CascadeRecordReader } from '../reporting/reported-cascade';
import { postToAlertWebhook } from './alert-webhook';
import { driftAlertPayload, logDriftAlert } from './drift-alert';
import { measureWindow } from './measure-window';
import { readCanaries } from '../reporting/visibility-canary-reader';
import { summarizeCanaries } from '../reporting/canary-summary';

export interface DriftActivityDependencies {
  /** The reader of finished cascades, built on the worker's client (visibility, or a cost ledger). */
  readerFor: (client: Client) => CascadeRecordReader;
  /**
   * Where alerts are POSTed as JSON; read from the worker's environment (`CASCADE_ALERT_WEBHOOK_URL`),
   * never from workflow input, since such URLs often carry a token. No webhook when absent.
   */
  webhookUrl?: string;
  /** Where alerts are logged, at error level. */
  logger: pino.Logger;
  /** The webhook's HTTP client. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** The drift check's activities, built from their dependencies; the worker registers them. */
export function createDriftActivities(dependencies: DriftActivityDependencies) {
  return {
    /**
     * Sums the route's finished cascades that closed in the last `windowMs` (the clock is read here,
     * not in the workflow). A reader failure is retried by the activity's retry policy.
     */
    async measureRecentCascades(input: MeasureRecentCascadesInput): Promise<RecentCascades> {
      const client = Context.current().client;
      const reader = dependencies.readerFor(client);
      const until = new Date();
      const window = await measureWindow({ reader, route: input.route, windowMs: input.windowMs, until });
      if (!input.canary) return window;
      const canaries = await readCanaries(client, {
        route: input.route,
        since: new Date(until.getTime() - input.windowMs),
        until,
      });
      const [summary] = summarizeCanaries(canaries.filter((canary) => canary.route === input.route));
      return { ...window, canaryCompared: summary?.compared ?? 0, canaryAgreed: summary?.agreed ?? 0 };
    },

    /**
     * Logs the alert at error level (on the first attempt only, so retries do not repeat it) and POSTs it
     * to the webhook when one is configured. Webhook failures throw `AlertWebhookUnavailable` (retried)
     * or `AlertWebhookRejected` (not retried).
     */
    async raiseDriftAlert(input: RaiseDriftAlertInput): Promise<DriftAlertDelivery> {
      const context = Context.current();
      // Started outside a workflow (a standalone activity), the activity id names the alert.
      const execution = context.info.workflowExecution;
      const workflowId = execution?.workflowId ?? context.info.activityId;
      const payload = driftAlertPayload({
        input,
        workflowId,
        alertId: execution ? `${execution.workflowId}/${execution.runId}` : context.info.activityId,
      });
      if (context.info.attempt === 1) logDriftAlert(dependencies.logger, payload);
      if (!dependencies.webhookUrl) return { webhook: 'not_configured' };
      const { statusCode } = await postToAlertWebhook({
        url: dependencies.webhookUrl,
        body: payload,
        idempotencyKey: payload.alertId,
        fetch: dependencies.fetch,
        signal: context.cancellationSignal,
      });
      return { webhook: 'sent', statusCode };
    },
  };
}

export type DriftActivities = ReturnType<typeof createDriftActivities>;
