import pMap from 'p-map';
import type { CascadeClient } from '../../client/cascade-client';
import type { ModelServer } from '../../local-stack/model-server/model-server';
import { percentiles, type Percentiles } from './percentiles';
import { ownCpuMs, processCpuMs } from './process-cpu';
import type { LatencyProfile } from './throughput-models';

export interface ThroughputSetting {
  latency: LatencyProfile;
  /** Cascades kept in flight: by the client, or by the back-fill job. */
  concurrency: number;
  requests: number;
}

export interface ThroughputResult extends ThroughputSetting {
  wallSeconds: number;
  cascadesPerSecond: number;
  latencyMs: Percentiles;
  escalations: number;
  failures: number;
  /** The first failure's message, when any failed. */
  firstFailure?: string;
  modelCalls: Record<string, number>;
  /** CPU of this process (client, worker and model server together), in ms and as cores busy. */
  benchmarkProcessCpuMs: number;
  benchmarkProcessCores: number;
  /** CPU of the dev server process; undefined when its pid was not found. */
  devServerCpuMs: number | undefined;
  devServerCores: number | undefined;
  /** A workflow id of this setting, escalated when one was, for the history breakdown. */
  sampleWorkflowId: string | undefined;
}

/** Runs `requests` cascades, `concurrency` at a time, and measures what the client saw. */
export async function runThroughputSetting(options: {
  setting: ThroughputSetting;
  client: CascadeClient;
  modelServer: ModelServer;
  devServerPid: number | undefined;
  runId: string;
}): Promise<ThroughputResult> {
  const { setting, client } = options;
  const latencies: number[] = [];
  let escalations = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  let sampleWorkflowId: string | undefined;
  let sampleEscalated = false;

  options.modelServer.reset();
  const devServerCpuBefore = options.devServerPid === undefined ? undefined : processCpuMs(options.devServerPid);
  const ownCpuBefore = ownCpuMs();
  const startedAt = performance.now();

  const runOne = async (index: number) => {
    const requestId = `${options.runId}-${setting.latency}-c${setting.concurrency}-${index}`;
    const requestStartedAt = performance.now();
    try {
      // The prompt holds the request id, so the cheap model's weighted mix draws per request.
      const result = await client.run({
        requestId,
        route: setting.latency,
        messages: [{ role: 'user', content: `Classify ticket ${requestId}: I was charged twice.` }],
      });
      latencies.push(performance.now() - requestStartedAt);
      const escalated = result.outcome === 'escalated';
      if (escalated) escalations += 1;
      if (sampleWorkflowId === undefined || (escalated && !sampleEscalated)) {
        sampleWorkflowId = result.workflowId;
        sampleEscalated = escalated;
      }
    } catch (error) {
      failures += 1;
      firstFailure ??= error instanceof Error ? error.message : String(error);
    }
  };
  await pMap(
    Array.from({ length: setting.requests }, (_, index) => index),
    runOne,
    { concurrency: setting.concurrency },
  );

  const wallMs = performance.now() - startedAt;
  const benchmarkProcessCpuMs = ownCpuMs() - ownCpuBefore;
  const devServerCpuAfter = options.devServerPid === undefined ? undefined : processCpuMs(options.devServerPid);
  const devServerCpuMs =
    devServerCpuBefore === undefined || devServerCpuAfter === undefined
      ? undefined
      : devServerCpuAfter - devServerCpuBefore;
  return {
    ...setting,
    wallSeconds: wallMs / 1000,
    cascadesPerSecond: latencies.length / (wallMs / 1000),
    latencyMs: percentiles(latencies),
    escalations,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    modelCalls: options.modelServer.callCounts().byModel,
    benchmarkProcessCpuMs,
    benchmarkProcessCores: benchmarkProcessCpuMs / wallMs,
    devServerCpuMs,
    devServerCores: devServerCpuMs === undefined ? undefined : devServerCpuMs / wallMs,
    sampleWorkflowId,
  };
}
