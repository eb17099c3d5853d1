import type { FinishedRequest } from '../contracts/backfill/backfill-job';
import { cascadeRequestSchema, describeIssues, type CascadeRequest } from '../contracts/cascade/cascade-request';
import { failureTypes } from '../contracts/failure-types';
import type { QueuedRequest } from '../operations/backfill/sources/request-source';

/** A queued row read as a cascade request, or the request failed as invalid (it never becomes a cascade). */
export type RowAsCascadeRequest = { valid: true; request: CascadeRequest } | { valid: false; failed: FinishedRequest };

/**
 * A queued row as the request of its cascade: the row's fields, its request id as the source read it,
 * and the job's route (a row's own route is not used); `shadowFlagship` when the job asks for it.
 */
export function cascadeRequestOfRow(options: {
  queued: QueuedRequest;
  route: string;
  shadowFlagship?: boolean;
}): RowAsCascadeRequest {
  const { queued } = options;
  const row = queued.request;
  const validated = cascadeRequestSchema.safeParse(
    typeof row === 'object' && row !== null && !Array.isArray(row)
      ? {
          ...(row as Record<string, unknown>),
          requestId: queued.requestId,
          route: options.route,
          ...(options.shadowFlagship ? { shadowFlagship: true } : {}),
        }
      : row,
  );
  if (validated.success) return { valid: true, request: validated.data };
  return {
    valid: false,
    failed: invalidRequest({
      requestId: queued.requestId,
      reason: `invalid cascade request: ${describeIssues(validated.error)}`,
    }),
  };
}

/** A request that failed before any cascade ran (unreadable or invalid): it cost nothing. */
export function invalidRequest(options: { requestId: string; reason: string }): FinishedRequest {
  return {
    requestId: options.requestId,
    outcome: 'failed',
    failureType: failureTypes.invalidRequest,
    failureReason: options.reason,
    costUsd: 0,
    flagshipOnlyUsd: 0,
    judgeUsd: 0,
  };
}
