import { CancellationScope } from '@temporalio/workflow';
import type { FinishedRequest, SourceReference } from '../contracts/backfill/backfill-job';
import { recordBacklogOutcomes } from './backfill-activity-proxies';
import { PendingOutcomes } from './backfill-pending-outcomes';

/**
 * Writes outcomes back to the job's source. Writes run in the background, one at a time, so writing
 * never holds up starting cascades; a write that fails for good fails the job at its next step
 * (`throwIfFailed`). Writes are never cancelled: an outcome the source missed would be read again.
 */
export class OutcomeWriter {
  private readonly pending = new PendingOutcomes();
  private writing: Promise<void> | undefined;
  private failure: unknown;

  constructor(private readonly source: SourceReference) {}

  /** Queues a finished request's outcome for the next write. */
  add(finished: FinishedRequest): void {
    this.pending.add(finished);
  }

  /** Starts a write in the background when a batch waits and no write runs. */
  writeInBackground(): void {
    if (this.writing || !this.pending.hasFullBatch) return;
    this.writing = CancellationScope.nonCancellable(this.writeAll)
      .catch((error: unknown) => {
        this.failure = error;
      })
      .finally(() => {
        this.writing = undefined;
      });
  }

  /** Rethrows the failure of a background write. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  /** Waits for the background write, then writes everything still pending. */
  async settle(): Promise<void> {
    await CancellationScope.nonCancellable(async () => {
      while (this.writing) await this.writing;
      this.throwIfFailed();
      await this.writeAll();
    });
  }

  private readonly writeAll = async (): Promise<void> => {
    while (this.pending.count > 0) {
      await recordBacklogOutcomes({ source: this.source, outcomes: this.pending.takeWrite() });
    }
  };
}
