import { ActivityFailure, proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import { CascadeError } from '../contracts/cascade-error';
import { describeDuration } from '../contracts/describe-duration';
import {
  escalationDriftCheckInputSchema,
  type DriftAlertDelivery,
  type EscalationDriftCheckInput,
  type EscalationDriftCheckResult,
} from '../contracts/drift/drift-check';
import { evaluateDrift } from '../contracts/drift/drift-evaluation';
import { failureTypes } from '../contracts/failure-types';
import { toApplicationFailure } from '../contracts/to-application-failure';
import type { DriftActivities } from '../operations/drift/create-drift-activities';
import { parseWorkflowInput } from './parse-workflow-input';

const { measureRecentCascades } = proxyActivities<DriftActivities>({
  // Reading a day of a busy route from visibility pages through many results.
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

const { raiseDriftAlert } = proxyActivities<DriftActivities>({
  startToCloseTimeout: '30 seconds',
  // A webhook that is down for a few minutes still gets the alert; a refused one (4xx) is not retried.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [failureTypes.alertWebhookRejected],
  },
});

/**
 * One escalation-drift check of a route: measures the cascades that closed in the last `windowMs`,
 * judges them against the route's thresholds (`evaluateDrift`), and raises an alert (an error log line,
 * and the worker's webhook when it has one) only when a threshold is passed. The drift schedules run it
 * periodically; it can also be started once. An alert the webhook never accepted fails the check with
 * `DriftAlertNotDelivered` (the log line was written).
 */
export async function escalationDriftCheck(rawInput: EscalationDriftCheckInput): Promise<EscalationDriftCheckResult> {
  const { route, windowMs, thresholds } = parseWorkflowInput({
    schema: escalationDriftCheckInputSchema,
    rawInput,
    what: 'drift check',
  });
  setCurrentDetails(`${route} · measuring the last ${describeDuration(windowMs)}`);

  const window = await measureRecentCascades.executeWithOptions(
    { summary: `measure ${route} · last ${describeDuration(windowMs)}` },
    // Only a check with a canary floor asks for canaries, so older checks' activity inputs stay as they were.
    [{ route, windowMs, ...(thresholds.minCanaryAgreement !== undefined ? { canary: true as const } : {}) }],
  );
  const evaluation = evaluateDrift({ route, measured: window, thresholds });
  setCurrentDetails(evaluation.message);
  if (evaluation.status !== 'alert') return { ...evaluation, window };

  let alertDelivery: DriftAlertDelivery;
  try {
    alertDelivery = await raiseDriftAlert.executeWithOptions(
      { summary: `alert · ${evaluation.alerts.map((alert) => alert.kind).join(', ')}` },
      [{ evaluation, window }],
    );
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    throw toApplicationFailure(
      new CascadeError({
        type: failureTypes.driftAlertNotDelivered,
        message: `${route}: the drift alert was logged but not delivered to the webhook: ${error.cause?.message ?? error.message}`,
        details: evaluation,
        cause: error,
      }),
    );
  }
  return { ...evaluation, window, alertDelivery };
}
