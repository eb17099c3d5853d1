import type { BackfillCarriedState, BackfillJobInput } from '../contracts/backfill/backfill-job';
import { emptyCounters } from '../contracts/backfill/backfill-job';

/** Cascades a run starts before it continues as new. */
export const defaultContinueAsNewAfter = 500;

/** The state a job's first run starts from: nothing read, nothing counted. */
export function firstRunState(options: { startedAt: Date; startPaused?: boolean }): BackfillCarriedState {
  return {
    sourceDrained: false,
    startedAt: options.startedAt.toISOString(),
    paused: options.startPaused ?? false,
    runs: 1,
    counters: emptyCounters(),
    failures: [],
    failuresNotListed: 0,
  };
}

/**
 * True when a run has started its share of cascades (`continueAsNewAfter`, default 500) or its history
 * has grown large enough that Temporal suggests continuing as new: it starts no more, and hands over.
 */
export function runIsFull(options: {
  startedThisRun: number;
  continueAsNewAfter?: number;
  continueAsNewSuggested: boolean;
}): boolean {
  return (
    options.startedThisRun >= (options.continueAsNewAfter ?? defaultContinueAsNewAfter) ||
    options.continueAsNewSuggested
  );
}

/** The input of the job's next run: the same job, carrying its state, one run further. */
export function nextRunInput(job: BackfillJobInput, state: BackfillCarriedState): BackfillJobInput {
  return { ...job, carried: { ...state, runs: state.runs + 1 } };
}
