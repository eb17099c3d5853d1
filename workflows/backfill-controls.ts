import { setHandler } from '@temporalio/workflow';
import type {
  BackfillCarriedState,
  BackfillJobInput,
  BackfillProgress,
  BackfillStatus,
} from '../contracts/backfill/backfill-job';
import { cancelUpdate, pauseUpdate, progressQuery, resumeUpdate } from './backfill-messages';
import { describeProgress, progressOf } from './backfill-progress';

/** What the controls answer from: the job, its carried state, and how many cascades are in flight. */
export interface BackfillControlsOptions {
  job: BackfillJobInput;
  /** The job's carried state; pause and resume set its `paused`. */
  state: BackfillCarriedState;
  inFlight(): number;
}

/**
 * How a job is steered and watched: the `progress` query and the `pause`, `resume` and `cancel` updates
 * (each answers with the progress after it). Cancelling asks the job to stop; it stops starting cascades
 * and lets those in flight finish.
 */
export class BackfillControls {
  private stopRequested = false;

  private constructor(private readonly options: BackfillControlsOptions) {}

  /** Installs the query and update handlers of the running job. */
  static install(options: BackfillControlsOptions): BackfillControls {
    const controls = new BackfillControls(options);
    const { state } = options;
    setHandler(progressQuery, () => controls.progress());
    setHandler(pauseUpdate, () => {
      state.paused = true;
      return controls.report();
    });
    setHandler(resumeUpdate, () => {
      state.paused = false;
      return controls.report();
    });
    setHandler(cancelUpdate, () => {
      controls.stop();
      return controls.report();
    });
    return controls;
  }

  /** True once the job was asked to stop (by the `cancel` update or a cancellation request). */
  get stopping(): boolean {
    return this.stopRequested;
  }

  stop(): void {
    this.stopRequested = true;
  }

  /** The progress now; its status is `stopping`, `paused` or `running` unless given. */
  progress(status?: BackfillStatus): BackfillProgress {
    const { job, state } = this.options;
    return progressOf({
      job,
      state,
      inFlight: this.options.inFlight(),
      status: status ?? (this.stopRequested ? 'stopping' : state.paused ? 'paused' : 'running'),
    });
  }

  /** The progress now, also shown as the job's current details in the Web UI. */
  report(status?: BackfillStatus): BackfillProgress {
    const now = this.progress(status);
    describeProgress(now);
    return now;
  }
}
