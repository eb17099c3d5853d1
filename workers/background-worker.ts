import type { Worker } from '@temporalio/worker';

/** A worker running in the background of a process that does other work (a CLI, a benchmark, a test). */
export interface BackgroundWorker {
  /** Settles when the worker has stopped (by `stop()`, SIGINT or SIGTERM). */
  running: Promise<void>;
  /** Asks the worker to drain, unless it already stops, and waits until it has. */
  stop(): Promise<void>;
}

export function runInBackground(worker: Worker): BackgroundWorker {
  const running = worker.run();
  return {
    running,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}
