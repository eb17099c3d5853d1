import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  log,
  workflowInfo,
} from '@temporalio/workflow';
import {
  countFinished,
  type BackfillJobInput,
  type BackfillProgress,
  type FinishedRequest,
} from '../contracts/backfill/backfill-job';
import { countBacklog, readBacklogPage, requeueBacklogRequests } from './backfill-activity-proxies';
import { Backlog } from './backfill-backlog';
import { CascadeLauncher } from './backfill-cascade-launcher';
import { firstRunState, nextRunInput, runIsFull } from './backfill-carried-state';
import { BackfillControls } from './backfill-controls';
import { parseBackfillJob } from './backfill-job-input';
import { OutcomeWriter } from './backfill-outcome-writer';
import { rateLimiter } from './backfill-rate-limiter';

/**
 * A back-fill job: drains a source of queued requests through cascades, one child workflow per
 * request (its id derives from the job and the request id, so a request is never paid twice), with at
 * most `concurrency` in flight and at most `ratePerSecond` started per second. It reads the source in
 * pages, writes outcomes back to it, and continues as new every `continueAsNewAfter` cascades with its
 * cursor and totals, so its history stays small however long the queue. Pause, resume and cancel are
 * updates; `progress` is a query; the result is the job's final progress.
 */
export async function backfill(rawInput: BackfillJobInput): Promise<BackfillProgress> {
  const job = parseBackfillJob(rawInput);
  const state = job.carried ?? firstRunState({ startedAt: workflowInfo().startTime, startPaused: job.startPaused });
  const outcomes = new OutcomeWriter(job.source);
  const finish = (finished: FinishedRequest) => {
    countFinished(state, finished);
    outcomes.add(finished);
  };
  const backlog = new Backlog({ job, state, onUnreadable: finish });
  const cascades = new CascadeLauncher({
    job,
    counters: state.counters,
    onFinished: (finished) => {
      finish(finished);
      outcomes.writeInBackground();
    },
  });
  const controls = BackfillControls.install({ job, state, inFlight: () => cascades.inFlight });
  const limiter = rateLimiter(job.ratePerSecond);

  try {
    if (!job.carried) {
      if (job.onlyRequestIds) await requeueBacklogRequests({ source: job.source, requestIds: job.onlyRequestIds });
      const total = job.onlyRequestIds ? job.onlyRequestIds.length : await countBacklog({ source: job.source });
      if (total !== undefined && total !== null) state.total = total;
    }
    controls.report();
    for (;;) {
      if (controls.stopping) break;
      outcomes.throwIfFailed();
      const full = runIsFull({
        startedThisRun: cascades.startedThisRun,
        continueAsNewAfter: job.continueAsNewAfter,
        continueAsNewSuggested: workflowInfo().continueAsNewSuggested,
      });
      if (backlog.isEmpty && (backlog.sourceDrained || full)) {
        if (backlog.sourceDrained) break;
        await cascades.allFinished();
        await outcomes.settle();
        await condition(allHandlersFinished);
        controls.report();
        return await continueAsNew<typeof backfill>(nextRunInput(job, state));
      }
      if (!full && backlog.needsPage()) {
        backlog.take(await readBacklogPage(backlog.nextPageQuery()));
        controls.report();
        continue;
      }
      await condition(() => controls.stopping || (!state.paused && cascades.inFlight < job.concurrency));
      if (controls.stopping) break;
      await limiter.acquire();
      cascades.launch(backlog.next());
      outcomes.writeInBackground();
    }
  } catch (error) {
    if (!isCancellation(error)) throw error;
    controls.stop();
    log.info('back-fill job cancelled: letting the cascades in flight finish', {
      jobId: job.jobId,
      inFlight: cascades.inFlight,
    });
  }

  // Drained, cancelled or stopped: the cascades in flight finish and are counted either way.
  await CancellationScope.nonCancellable(() => cascades.allFinished());
  await outcomes.settle();
  await condition(allHandlersFinished);
  return controls.report(controls.stopping ? 'cancelled' : 'completed');
}
