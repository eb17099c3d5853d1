import pMap from 'p-map';
import { percentiles, type Percentiles } from '../throughput/percentiles';

/** CPU time (user and system) at one instant: the dev server's, when known, and this process's. */
export interface CpuReading {
  devServerMs: number | undefined;
  benchmarkProcessMs: number;
}

/** CPU spent per workflow completed while `concurrency` were in flight, split by process. */
export interface CpuPerWorkflow {
  devServerMs: number | undefined;
  /** The workers, the client starting the workflows and the in-process model server. */
  benchmarkProcessMs: number;
  /** Both, when the dev server's share is known. */
  totalMs: number | undefined;
}

/** What one kind of workflow measured on one server: at `concurrency` in flight, then one at a time. */
export interface FloorMeasurement {
  workflowsPerSecond: number;
  /** With `readCpu`: what the workflows at `concurrency` in flight cost in CPU, each. */
  cpuPerWorkflow?: CpuPerWorkflow;
  /** Start to result, workflows run one after another. */
  sequentialLatencyMs: Percentiles;
  failures: number;
  firstFailure?: string;
}

/**
 * Runs `workflows` executions `concurrency` at a time (wall-clock rate), then `sequential` executions one
 * at a time (latency from start to result). `execute(index)` starts one and waits for its result.
 * `readCpu`, read before and after the first phase, gives the CPU each of those workflows cost: on a
 * machine whose cores the dev server and the workers share, the figure that decides throughput, and
 * steadier from run to run than the rate.
 */
export async function measureWorkflows(options: {
  execute: (label: string) => Promise<void>;
  workflows: number;
  concurrency: number;
  sequential: number;
  readCpu?: () => CpuReading;
}): Promise<FloorMeasurement> {
  let failures = 0;
  let firstFailure: string | undefined;
  const attempt = async (label: string): Promise<number | undefined> => {
    const startedAt = performance.now();
    try {
      await options.execute(label);
      return performance.now() - startedAt;
    } catch (error) {
      failures += 1;
      firstFailure ??= error instanceof Error ? error.message : String(error);
      return undefined;
    }
  };

  let completed = 0;
  const cpuBefore = options.readCpu?.();
  const startedAt = performance.now();
  await pMap(
    Array.from({ length: options.workflows }, (_, index) => `c${index}`),
    async (label) => {
      if ((await attempt(label)) !== undefined) completed += 1;
    },
    { concurrency: options.concurrency },
  );
  const workflowsPerSecond = completed / ((performance.now() - startedAt) / 1000);
  const cpuAfter = options.readCpu?.();
  const cpuPerWorkflow =
    cpuBefore && cpuAfter && completed > 0 ? perWorkflow(cpuBefore, cpuAfter, completed) : undefined;

  const latencies: number[] = [];
  for (let index = 0; index < options.sequential; index++) {
    const latency = await attempt(`s${index}`);
    if (latency !== undefined) latencies.push(latency);
  }
  return {
    workflowsPerSecond,
    ...(cpuPerWorkflow === undefined ? {} : { cpuPerWorkflow }),
    sequentialLatencyMs: percentiles(latencies),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}

function perWorkflow(before: CpuReading, after: CpuReading, workflows: number): CpuPerWorkflow {
  const devServerMs =
    before.devServerMs === undefined || after.devServerMs === undefined
      ? undefined
      : (after.devServerMs - before.devServerMs) / workflows;
  const benchmarkProcessMs = (after.benchmarkProcessMs - before.benchmarkProcessMs) / workflows;
  return {
    devServerMs,
    benchmarkProcessMs,
    totalMs: devServerMs === undefined ? undefined : devServerMs + benchmarkProcessMs,
  };
}
