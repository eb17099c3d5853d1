import { setCurrentDetails } from '@temporalio/workflow';
import type {
  BackfillCarriedState,
  BackfillJobInput,
  BackfillProgress,
  BackfillStatus,
} from '../contracts/backfill/backfill-job';
import { formatUsd } from '../contracts/cascade/describe-outcome';

/** A job's progress: its settings, its carried totals, the cascades in flight, and its status. */
export function progressOf(options: {
  job: BackfillJobInput;
  state: BackfillCarriedState;
  inFlight: number;
  status: BackfillStatus;
}): BackfillProgress {
  const { job, state } = options;
  return {
    jobId: job.jobId,
    route: job.route,
    status: options.status,
    ...(state.total !== undefined ? { total: state.total } : {}),
    inFlight: options.inFlight,
    concurrency: job.concurrency,
    ...(job.ratePerSecond !== undefined ? { ratePerSecond: job.ratePerSecond } : {}),
    counters: state.counters,
    failures: state.failures,
    failuresNotListed: state.failuresNotListed,
    startedAt: state.startedAt,
    runs: state.runs,
  };
}

/** One line of counts: what the job shows as its current details in the Web UI. */
export function progressLine(progress: BackfillProgress): string {
  const counters = progress.counters;
  const of = progress.total !== undefined ? ` of ${progress.total}` : '';
  return `${progress.route} · ${progress.status} · ${counters.done}${of} done · ${counters.escalated} escalated · ${counters.failed} failed · ${formatUsd(counters.costUsd)}`;
}

/** Shows the progress as the job's current details in the Web UI. */
export function describeProgress(progress: BackfillProgress): void {
  setCurrentDetails(progressLine(progress));
}
