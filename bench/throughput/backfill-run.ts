import pMap from 'p-map';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { BackfillClient, BackfillJobOptions } from '../../client/backfill-client';
import { backfillWorkflowIdOf } from '../../contracts/backfill/backfill-job';
import type { ModelServer } from '../../local-stack/model-server/model-server';
import { cascadesInFlight, readJobHistories, type JobChild } from './backfill-job-history';
import { percentiles, type Percentiles } from './percentiles';
import { ownCpuMs, processCpuMs } from './process-cpu';
import { fetchRunChain } from './run-chain';
import type { ThroughputSetting } from './throughput-run';

export interface BackfillThroughputResult extends ThroughputSetting {
  jobId: string;
  /** Runs of the job's continue-as-new chain. */
  runs: number;
  /** The job from its first event to its last (source count and reads, final outcome write included). */
  jobSeconds: number;
  /** Cascades the job started and saw close. */
  cascades: number;
  /** From the first cascade initiated to the last cascade's close, in the job's history. */
  cascadeSpanSeconds: number;
  /** Cascades closed over that span, per second. */
  cascadesPerSecond: number;
  /** Cascades in flight (initiated → close recorded) over that span: on average, and at most. */
  meanInFlight: number;
  maxInFlight: number;
  escalations: number;
  failures: number;
  /** The first failure's reason, when any failed. */
  firstFailure?: string;
  /** Where a cascade's time goes, per cascade (ms). */
  phasesMs: {
    /** Initiated → `ChildWorkflowExecutionStarted`, both in the job's history. */
    childStart: Percentiles;
    /** The cascade's own start → its own close. */
    cascade: Percentiles;
    /** The cascade's own close → the job's next workflow task completed. */
    completionToJob: Percentiles;
    /** … of which the cascade's close → the close recorded in the job's history. */
    closeRecorded: Percentiles;
    /** Initiated → close recorded: how long the cascade held a slot of the job. */
    slot: Percentiles;
  };
  /** The job's own workflow tasks over every run. */
  jobWorkflowTasks: { count: number; scheduledToStartedMs: Percentiles; startedToCompletedMs: Percentiles };
  /** The job's activities by type: how many, and their summed time scheduled → closed (ms). */
  jobActivities: Record<string, { count: number; totalMs: number }>;
  modelCalls: Record<string, number>;
  /** CPU of this process (the worker, with the model server; the client only waits), in ms and as cores busy. */
  benchmarkProcessCpuMs: number;
  benchmarkProcessCores: number;
  /** CPU of the dev server process; undefined when its pid was not found. */
  devServerCpuMs: number | undefined;
  devServerCores: number | undefined;
}

/**
 * Writes `requests` requests to a temporary JSONL file, runs one back-fill job over it with
 * `concurrency` cascades in flight, and reads where the time went from the histories of the job's runs
 * and of its cascades.
 */
export async function runBackfillSetting(options: {
  setting: ThroughputSetting;
  backfill: BackfillClient;
  modelServer: ModelServer;
  devServerPid: number | undefined;
  runId: string;
  /** The job's paging and continue-as-new settings. @default the job's defaults */
  job?: Partial<Pick<BackfillJobOptions, 'pageSize' | 'continueAsNewAfter'>>;
}): Promise<BackfillThroughputResult> {
  const { setting } = options;
  const jobId = `${options.runId}-${setting.latency}-c${setting.concurrency}`;
  const directory = mkdtempSync(join(tmpdir(), 'cascade-throughput-backfill-'));
  try {
    const path = join(directory, `${jobId}.jsonl`);
    writeFileSync(path, requestLines({ requestIdPrefix: jobId, requests: setting.requests }));

    options.modelServer.reset();
    const devServerCpuBefore = options.devServerPid === undefined ? undefined : processCpuMs(options.devServerPid);
    const ownCpuBefore = ownCpuMs();
    const startedAt = performance.now();
    await options.backfill.start({
      jobId,
      source: { kind: 'jsonl', path },
      route: setting.latency,
      concurrency: setting.concurrency,
      ...(options.job?.pageSize === undefined ? {} : { pageSize: options.job.pageSize }),
      ...(options.job?.continueAsNewAfter === undefined ? {} : { continueAsNewAfter: options.job.continueAsNewAfter }),
    });
    const summary = await options.backfill.result(jobId);
    const wallMs = performance.now() - startedAt;
    const benchmarkProcessCpuMs = ownCpuMs() - ownCpuBefore;
    const devServerCpuAfter = options.devServerPid === undefined ? undefined : processCpuMs(options.devServerPid);
    const devServerCpuMs =
      devServerCpuBefore === undefined || devServerCpuAfter === undefined
        ? undefined
        : devServerCpuAfter - devServerCpuBefore;
    const modelCalls = options.modelServer.callCounts().byModel;

    // Read after the CPU is measured: fetching histories is not part of the job.
    const breakdown = await readBackfillBreakdown(options.backfill.temporal, jobId);
    return {
      ...setting,
      jobId,
      ...breakdown,
      escalations: summary.counters.escalated,
      failures: summary.counters.failed,
      ...(summary.failures[0] ? { firstFailure: `${summary.failures[0].type}: ${summary.failures[0].reason}` } : {}),
      modelCalls,
      benchmarkProcessCpuMs,
      benchmarkProcessCores: benchmarkProcessCpuMs / wallMs,
      devServerCpuMs,
      devServerCores: devServerCpuMs === undefined ? undefined : devServerCpuMs / wallMs,
    };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

type BackfillBreakdown = Pick<
  BackfillThroughputResult,
  | 'runs'
  | 'cascades'
  | 'jobSeconds'
  | 'cascadeSpanSeconds'
  | 'cascadesPerSecond'
  | 'meanInFlight'
  | 'maxInFlight'
  | 'phasesMs'
  | 'jobWorkflowTasks'
  | 'jobActivities'
>;

/** Where a finished job's time went: the histories of its runs, and each cascade's own start and close. */
async function readBackfillBreakdown(temporal: Client, jobId: string): Promise<BackfillBreakdown> {
  const runs = await fetchRunChain(temporal, backfillWorkflowIdOf(jobId));
  const reading = readJobHistories(runs.map((run) => run.events));
  const ownSpans = await cascadeSpans(temporal, reading.children);
  const inFlight = cascadesInFlight(reading.children);
  const closedCount = reading.children.filter((child) => child.closedAtMs !== undefined).length;
  const phase = (duration: (child: JobChild, own: CascadeSpan | undefined) => number | undefined) =>
    percentiles(
      reading.children.flatMap((child) => {
        const value = duration(child, ownSpans.get(child.workflowId));
        return value === undefined ? [] : [value];
      }),
    );
  return {
    runs: reading.runs,
    cascades: closedCount,
    jobSeconds: (reading.jobClosedAtMs - reading.jobStartedAtMs) / 1000,
    cascadeSpanSeconds: inFlight.spanMs / 1000,
    cascadesPerSecond: inFlight.spanMs > 0 ? closedCount / (inFlight.spanMs / 1000) : Number.NaN,
    meanInFlight: inFlight.mean,
    maxInFlight: inFlight.max,
    phasesMs: {
      childStart: phase((child) => difference(child.initiatedAtMs, child.startedAtMs)),
      cascade: phase((_child, own) => difference(own?.startedAtMs, own?.closedAtMs)),
      completionToJob: phase((child, own) => difference(own?.closedAtMs, child.nextTaskCompletedAtMs)),
      closeRecorded: phase((child, own) => difference(own?.closedAtMs, child.closedAtMs)),
      slot: phase((child) => difference(child.initiatedAtMs, child.closedAtMs)),
    },
    jobWorkflowTasks: {
      count: reading.workflowTaskStartedToCompletedMs.length,
      scheduledToStartedMs: percentiles(reading.workflowTaskScheduledToStartedMs),
      startedToCompletedMs: percentiles(reading.workflowTaskStartedToCompletedMs),
    },
    jobActivities: reading.activities,
  };
}

/** One JSONL line per request; the prompt holds the request id, so the cheap model's weighted mix draws per request. */
function requestLines(options: { requestIdPrefix: string; requests: number }): string {
  return Array.from({ length: options.requests }, (_, index) => {
    const requestId = `${options.requestIdPrefix}-${index}`;
    return `${JSON.stringify({ requestId, messages: [{ role: 'user', content: `Classify ticket ${requestId}: I was charged twice.` }] })}\n`;
  }).join('');
}

interface CascadeSpan {
  startedAtMs: number;
  closedAtMs: number | undefined;
}

/** Cascades described at once, after the job. */
const describeConcurrency = 16;

/** Each cascade's own start and close times (ms since the epoch), by workflow id. */
async function cascadeSpans(temporal: Client, children: JobChild[]): Promise<Map<string, CascadeSpan>> {
  const spans = new Map<string, CascadeSpan>();
  const started = children.filter((child) => child.runId !== undefined);
  await pMap(
    started,
    async (child) => {
      const description = await temporal.workflow.getHandle(child.workflowId, child.runId).describe();
      spans.set(child.workflowId, {
        startedAtMs: description.startTime.getTime(),
        closedAtMs: description.closeTime?.getTime(),
      });
    },
    { concurrency: describeConcurrency },
  );
  return spans;
}

function difference(from: number | undefined, to: number | undefined): number | undefined {
  return from === undefined || to === undefined ? undefined : to - from;
}
