import pMap from 'p-map';
import { percentiles, type Percentiles } from '../throughput/percentiles';

/** What one kind of workflow measured on one server: at `concurrency` in flight, then one at a time. */
export interface FloorMeasurement {
  workflowsPerSecond: number;
  /** Start to result, workflows run one after another. */
  sequentialLatencyMs: Percentiles;
  failures: number;
  firstFailure?: string;
}

/**
 * Runs `workflows` executions `concurrency` at a time (wall-clock rate), then `sequential` executions one
 * at a time (latency from start to result). `execute(index)` starts one and waits for its result.
 */
export async function measureWorkflows(options: {
  execute: (label: string) => Promise<void>;
  workflows: number;
  concurrency: number;
  sequential: number;
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
  const startedAt = performance.now();
  await pMap(
    Array.from({ length: options.workflows }, (_, index) => `c${index}`),
    async (label) => {
      if ((await attempt(label)) !== undefined) completed += 1;
    },
    { concurrency: options.concurrency },
  );
  const workflowsPerSecond = completed / ((performance.now() - startedAt) / 1000);

  const latencies: number[] = [];
  for (let index = 0; index < options.sequential; index++) {
    const latency = await attempt(`s${index}`);
    if (latency !== undefined) latencies.push(latency);
  }
  return {
    workflowsPerSecond,
    sequentialLatencyMs: percentiles(latencies),
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
  };
}
