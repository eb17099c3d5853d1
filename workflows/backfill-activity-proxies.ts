import { proxyActivities } from '@temporalio/workflow';
import type { BackfillActivities } from '../activities/backfill-activities';

/** The job's source: read in pages, counted, written back to, requeued. */
export const { readBacklogPage, countBacklog, recordBacklogOutcomes, requeueBacklogRequests } =
  proxyActivities<BackfillActivities>({
    startToCloseTimeout: '2 minutes',
    // A source error that would repeat arrives as a non-retryable failure (see `withStableFailures`).
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  });

/** Waits for a cascade that an earlier run of the job started; it heartbeats while it waits. */
export const { awaitFinishedCascade } = proxyActivities<BackfillActivities>({
  startToCloseTimeout: '1 day',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
