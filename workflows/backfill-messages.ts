import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { BackfillProgress } from '../contracts/backfill/backfill-job';

/** The job's counters, status and failures so far. */
export const progressQuery = defineQuery<BackfillProgress>('progress');
/** Stops starting new cascades (those in flight finish); returns the progress. */
export const pauseUpdate = defineUpdate<BackfillProgress>('pause');
/** Starts cascades again after a pause; returns the progress. */
export const resumeUpdate = defineUpdate<BackfillProgress>('resume');
/**
 * Ends the job gracefully: no new cascades, those in flight finish and are counted, the job returns
 * its summary with status `cancelled`. (A cancellation request from the Web UI does the same.)
 */
export const cancelUpdate = defineUpdate<BackfillProgress>('cancel');
