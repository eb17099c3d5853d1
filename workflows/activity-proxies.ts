import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { CascadeActivities } from '../activities/create-activities';
import { nonRetryableFailureTypes } from '../contracts/failure-types';

/** The cascade's activities as the workflow calls them. Model calls take their tier's options per call. */
export const { callModel, judgeAnswer } = proxyActivities<CascadeActivities>({
  // Replaced per call by the tier's own timeout and retry policy.
  startToCloseTimeout: '1 minute',
});

export const { evaluateGate, resolveRoute, priceUsage, preRoute, checkBudget } =
  proxyLocalActivities<CascadeActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...nonRetryableFailureTypes] },
  });

/**
 * Writes the cost row of a finished cascade to the worker's ledger. It retries for a minute; a ledger
 * that stays down loses the row (the search attributes keep the same figures), never the answer.
 */
export const { recordOutcome } = proxyLocalActivities<CascadeActivities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 minute',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds' },
});

/** The canary's budget updates: a Temporal round trip each, retried for a few minutes. */
export const { reserveCanaryBudget, settleCanaryBudget } = proxyActivities<CascadeActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export const { compareCanaryAnswers, recordCanary, startCanaryCheck } = proxyLocalActivities<CascadeActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [...nonRetryableFailureTypes] },
});
