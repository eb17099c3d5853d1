import type { History } from '@temporalio/common/lib/proto-utils';
import { Worker, type WorkflowBundleOption } from '@temporalio/worker';

/** What replaying one history `replays` times cost this process. */
export interface ReplayCpuMeasurement {
  replays: number;
  /** Process CPU (user and system) per replay. */
  cpuMsPerReplay: number;
  /** Wall-clock time per replay; replays run one after another. */
  wallMsPerReplay: number;
  failures: number;
  firstFailure?: string;
}

/**
 * Replays one history `replays` times on one replay worker, each under its own workflow id, and measures
 * the CPU this process spent. Each replay creates the workflow in the worker's reusable V8 context,
 * evaluates its modules and runs it to its end, as a live worker does for a new execution, without a
 * server: the figure is the workflow side of the cost alone.
 */
export async function measureReplayCpu(options: {
  workflowBundle: WorkflowBundleOption;
  history: History;
  replays: number;
  /** Prefix of the workflow ids, distinct per call. */
  label: string;
}): Promise<ReplayCpuMeasurement> {
  const { history, replays, label } = options;
  async function* histories() {
    for (let index = 0; index < replays; index++) yield { workflowId: `${label}-${index}`, history };
  }
  let failures = 0;
  let firstFailure: string | undefined;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  for await (const result of Worker.runReplayHistories({ workflowBundle: options.workflowBundle }, histories())) {
    if (result.error) {
      failures += 1;
      firstFailure ??= result.error.message;
    }
  }
  const wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    replays,
    cpuMsPerReplay: (cpu.user + cpu.system) / 1000 / replays,
    wallMsPerReplay: wallMs / replays,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
