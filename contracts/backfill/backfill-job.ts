import type { CascadeOutcome } from '../cascade/cascade-result';
import { z } from 'zod';
import { requestIdPattern } from '../cascade/cascade-request';

export const backfillWorkflowType = 'backfill';

/** Job names: they become part of workflow ids, so they keep to a safe alphabet. */
export const backfillJobIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/** The workflow id of a job. */
export function backfillWorkflowIdOf(jobId: string): string {
  return `backfill-${jobId}`;
}

/** The workflow id of one request's cascade within a job: the same job and request give the same id. */
export function backfillCascadeWorkflowIdOf(jobId: string, requestId: string): string {
  return `cascade-backfill-${jobId}-${requestId}`;
}

/**
 * Where the job reads requests: a description without secrets (a database password comes from the
 * worker's environment). The worker's source activities check it in full; the workflow only carries it.
 */
export const sourceReferenceSchema = z.object({ kind: z.string().min(1) }).passthrough();
export type SourceReference = z.infer<typeof sourceReferenceSchema>;

/** One request that failed for good, with its reason; the job went on without it. */
export interface BackfillFailure {
  requestId: string;
  /** The failure's stable type: `InvalidCascadeRequest`, `CascadeFailed`, `ProviderRequestRejected`, ... */
  type: string;
  reason: string;
  /** The cascade's workflow id; absent when the request never became a cascade (unreadable or invalid). */
  workflowId?: string;
}

/** Running totals of a job, carried across continue-as-new. */
export interface BackfillCounters {
  /** Requests read from the source (unreadable rows included). */
  read: number;
  /** Cascades started by this job. */
  started: number;
  /** Requests finished: accepted, escalated or failed. */
  done: number;
  accepted: number;
  escalated: number;
  failed: number;
  /** Requests the route's pre-routing sent straight to the flagship; absent from jobs before pre-routing. */
  preRouted?: number;
  /** Requests a budget at its hard cap held to the cheap tier (answered, gate rejected); absent before budgets. */
  cheapOnly?: number;
  /** Requests a budget at its hard cap refused; absent from jobs before budgets. */
  refused?: number;
  /** Requests whose cascade had already finished (an earlier run of the job): counted, not paid again. */
  alreadyDone: number;
  costUsd: number;
  flagshipOnlyUsd: number;
  judgeUsd: number;
  escalationsByReason: Record<string, number>;
  failuresByType: Record<string, number>;
}

export function emptyCounters(): BackfillCounters {
  return {
    read: 0,
    started: 0,
    done: 0,
    accepted: 0,
    escalated: 0,
    failed: 0,
    alreadyDone: 0,
    costUsd: 0,
    flagshipOnlyUsd: 0,
    judgeUsd: 0,
    escalationsByReason: {},
    failuresByType: {},
  };
}

/** The failures a job keeps by name; beyond this it counts them (the source keeps every outcome). */
export const maxListedFailures = 1000;

/** What a job carries from one run to the next. */
export const backfillCarriedStateSchema = z.object({
  cursor: z.string().optional(),
  sourceDrained: z.boolean(),
  total: z.number().int().nonnegative().optional(),
  startedAt: z.string(),
  paused: z.boolean(),
  runs: z.number().int().positive(),
  counters: z.custom<BackfillCounters>((value) => typeof value === 'object' && value !== null),
  failures: z.custom<BackfillFailure[]>((value) => Array.isArray(value)),
  failuresNotListed: z.number().int().nonnegative(),
});
export type BackfillCarriedState = z.infer<typeof backfillCarriedStateSchema>;

export const backfillJobInputSchema = z
  .object({
    jobId: z
      .string()
      .regex(
        backfillJobIdPattern,
        'must be 1 to 100 characters of letters, digits and . _ : -, starting with a letter or digit',
      ),
    source: sourceReferenceSchema,
    /** The route every request of the job runs on (a row's own route is not used). */
    route: z.string().min(1).max(100),
    /** Cascades in flight at once. */
    concurrency: z.number().int().min(1).max(2000),
    /** Cascades started per second at most. @default unlimited */
    ratePerSecond: z.number().positive().max(100_000).optional(),
    /** Requests read per page. @default 100 */
    pageSize: z.number().int().min(1).max(1000).optional(),
    /** Task queue of the cascades. @default the job's own */
    cascadeTaskQueue: z.string().min(1).optional(),
    /** Only these requests of the source (a retry of a job's failures). */
    onlyRequestIds: z.array(z.string().regex(requestIdPattern)).max(100_000).optional(),
    /** Ask the flagship for accepted requests too (an evaluation run); it costs a flagship call each. */
    shadowFlagship: z.boolean().optional(),
    /** Cascades a run starts before it continues as new, keeping each history small. @default 500 */
    continueAsNewAfter: z.number().int().min(1).max(10_000).optional(),
    /** Start paused. @default false */
    startPaused: z.boolean().optional(),
    /** The state carried from the previous run; absent on the first. */
    carried: backfillCarriedStateSchema.optional(),
  })
  .strict();
export type BackfillJobInput = z.infer<typeof backfillJobInputSchema>;

export const backfillStatuses = ['running', 'paused', 'stopping', 'completed', 'cancelled'] as const;
export type BackfillStatus = (typeof backfillStatuses)[number];

/** A job's progress: what the `progress` query and the job's result return. */
export interface BackfillProgress {
  jobId: string;
  route: string;
  status: BackfillStatus;
  /** Requests in the source when the job started, if the source can count them. */
  total?: number;
  inFlight: number;
  concurrency: number;
  ratePerSecond?: number;
  counters: BackfillCounters;
  failures: BackfillFailure[];
  failuresNotListed: number;
  /** When the job started (its first run), ISO 8601, workflow time. */
  startedAt: string;
  /** The run of the job's chain: 1, then one more per continue-as-new. */
  runs: number;
}

/** The cascade outcome the job folds into its counters. */
export interface FinishedRequest {
  requestId: string;
  workflowId?: string;
  outcome: CascadeOutcome;
  escalationReason?: string;
  failureType?: string;
  failureReason?: string;
  costUsd: number;
  flagshipOnlyUsd: number;
  judgeUsd: number;
  alreadyDone?: boolean;
}

/** Adds one finished request to the counters and, when it failed, to the failure list. */
export function countFinished(
  state: { counters: BackfillCounters; failures: BackfillFailure[]; failuresNotListed: number },
  finished: FinishedRequest,
): void {
  const counters = state.counters;
  counters.done += 1;
  if (finished.outcome === 'pre_routed') counters.preRouted = (counters.preRouted ?? 0) + 1;
  else if (finished.outcome === 'cheap_only') counters.cheapOnly = (counters.cheapOnly ?? 0) + 1;
  else if (finished.outcome === 'refused') counters.refused = (counters.refused ?? 0) + 1;
  else counters[finished.outcome] += 1;
  if (finished.alreadyDone) counters.alreadyDone += 1;
  counters.costUsd += finished.costUsd;
  counters.flagshipOnlyUsd += finished.flagshipOnlyUsd;
  counters.judgeUsd += finished.judgeUsd;
  if (finished.escalationReason)
    counters.escalationsByReason[finished.escalationReason] =
      (counters.escalationsByReason[finished.escalationReason] ?? 0) + 1;
  // A refused request is listed with the failures, so `cascade backfill retry` runs it once the budget allows.
  if (finished.outcome === 'failed' || finished.outcome === 'refused') {
    const type = finished.failureType ?? 'unknown';
    counters.failuresByType[type] = (counters.failuresByType[type] ?? 0) + 1;
    if (state.failures.length < maxListedFailures) {
      state.failures.push({
        requestId: finished.requestId,
        type,
        reason: finished.failureReason ?? type,
        ...(finished.workflowId ? { workflowId: finished.workflowId } : {}),
      });
    } else {
      state.failuresNotListed += 1;
    }
  }
}
