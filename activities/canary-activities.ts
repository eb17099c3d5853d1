import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  canaryBudgetWorkflowIdOf,
  canaryWorkflowIdOf,
  type CanaryCheckInput,
  type CanaryCheckResult,
  type CanaryCompare,
} from '../contracts/cascade/canary';
import {
  millisecondsToEndOf,
  type CanaryBudgetState,
  type CanaryReservation,
} from '../contracts/cascade/canary-budget';
import { extractAnswer, describeExtractor } from '../gates/answer-extractors';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import { annotateActiveSpan, cascadeSpanAttributes } from '../operations/tracing/span-attributes';

/** Past this long after its day, a budget is closed: a canary that late is refused rather than start a fresh budget. */
const lateReservationMs = 3_600_000;

export interface ReserveCanaryBudgetInput {
  route: string;
  day: string;
  requestId: string;
  estimateUsd: number;
  maxUsdPerDay: number;
}

export interface CompareCanaryAnswersInput {
  compare: Exclude<CanaryCompare, { kind: 'judge' }>;
  accepted: string;
  flagship: string;
}

export interface CanaryComparison {
  agreed: boolean;
  accepted?: string;
  flagship?: string;
  detail: string;
}

/**
 * The canary's activities: the day's budget of its route (an update, with start, of the `canaryBudget`
 * entity workflow on this worker's task queue), the comparison of the two answers, and the metrics.
 */
export function createCanaryActivities(dependencies: { metrics?: CascadeMetrics }) {
  return {
    /**
     * Starts the `canaryCheck` workflow of a sampled request on this worker's task queue: one start, while
     * the cascade records its outcome. A canary already started for the request id is left as it is.
     */
    async startCanaryCheck(input: CanaryCheckInput): Promise<{ workflowId: string; started: boolean }> {
      const context = Context.current();
      const workflowId = canaryWorkflowIdOf(input.requestId);
      try {
        await context.client.workflow.start('canaryCheck', {
          workflowId,
          taskQueue: context.info.taskQueue,
          args: [input],
          staticSummary: `${input.route} · canary of request ${input.requestId}`,
        });
        return { workflowId, started: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, started: false };
        throw error;
      }
    },

    async reserveCanaryBudget(input: ReserveCanaryBudgetInput): Promise<CanaryReservation> {
      if (millisecondsToEndOf(input.day, new Date()) < -lateReservationMs) {
        return { granted: false, spentUsd: 0, reservedUsd: 0, maxUsdPerDay: input.maxUsdPerDay };
      }
      const context = Context.current();
      const initial: CanaryBudgetState = {
        route: input.route,
        day: input.day,
        maxUsdPerDay: input.maxUsdPerDay,
        spentUsd: 0,
        reservations: {},
        settled: 0,
        refused: 0,
      };
      const reservation = context.client.workflow.executeUpdateWithStart('reserve', {
        args: [{ requestId: input.requestId, estimateUsd: input.estimateUsd, maxUsdPerDay: input.maxUsdPerDay }],
        startWorkflowOperation: new WithStartWorkflowOperation('canaryBudget', {
          workflowId: canaryBudgetWorkflowIdOf(input.route, input.day),
          taskQueue: context.info.taskQueue,
          args: [initial],
          workflowIdConflictPolicy: 'USE_EXISTING',
          staticSummary: `${input.route} · canary budget of ${input.day}`,
        }),
      }) as Promise<CanaryReservation>;
      return untilCancelled(reservation, context.cancellationSignal);
    },

    async settleCanaryBudget(input: {
      route: string;
      day: string;
      requestId: string;
      actualUsd: number;
    }): Promise<void> {
      const context = Context.current();
      const settlement = context.client.workflow
        .getHandle(canaryBudgetWorkflowIdOf(input.route, input.day))
        .executeUpdate('settle', { args: [{ requestId: input.requestId, actualUsd: input.actualUsd }] });
      await untilCancelled(settlement, context.cancellationSignal);
    },

    /** Reads the same thing of both answers; they agree when both state it and it is the same. */
    async compareCanaryAnswers(input: CompareCanaryAnswersInput): Promise<CanaryComparison> {
      const accepted = extractAnswer(input.compare, input.accepted);
      const flagship = extractAnswer(input.compare, input.flagship);
      const what = describeExtractor(input.compare);
      const agreed = accepted !== undefined && accepted === flagship;
      const detail =
        accepted === undefined || flagship === undefined
          ? `the ${accepted === undefined ? 'accepted' : "flagship's"} answer states no ${what}`
          : agreed
            ? `both answers state ${what} ${JSON.stringify(accepted)}`
            : `${what}: accepted ${JSON.stringify(accepted)}, flagship ${JSON.stringify(flagship)}`;
      return {
        agreed,
        ...(accepted === undefined ? {} : { accepted: accepted.slice(0, 200) }),
        ...(flagship === undefined ? {} : { flagship: flagship.slice(0, 200) }),
        detail,
      };
    },

    /** Counts a finished canary in the worker's metrics, and on its span. */
    async recordCanary(result: CanaryCheckResult): Promise<void> {
      dependencies.metrics?.recordCanary({ route: result.route, result: result.result, costUsd: result.costUsd });
      annotateActiveSpan({
        [cascadeSpanAttributes.route]: result.route,
        [cascadeSpanAttributes.requestId]: result.requestId,
        [cascadeSpanAttributes.canaryResult]: result.result,
        [cascadeSpanAttributes.costUsd]: result.costUsd,
      });
    },
  };
}

/**
 * The update's answer, or the activity's cancellation, whichever comes first. An update waits for a workflow
 * task of the budget, which a worker that is shutting down no longer takes: without this, the activity (and
 * the shutdown) would wait on it for ever. The cancelled activity is retried, on another worker or later.
 */
function untilCancelled<Value>(work: Promise<Value>, signal: AbortSignal): Promise<Value> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<Value>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
