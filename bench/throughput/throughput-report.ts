import { renderConsoleTable } from '../../operations/reporting/console-table';
import type { BackfillThroughputResult } from './backfill-run';
import type { CascadeTimeline } from './history-timeline';
import type { Percentiles } from './percentiles';
import type { ThroughputResult } from './throughput-run';
import { workerConcurrency } from './throughput-stack';

/** The benchmark's tables: one per mode that ran, the back-fill's time breakdown, and one cascade's timeline per profile. */
export function renderReport(report: {
  client: ThroughputResult[];
  backfill: BackfillThroughputResult[];
  timelines: CascadeTimeline[];
}): string {
  const lines: string[] = [];
  lines.push(
    `Worker: ${Object.entries(workerConcurrency)
      .map(([name, value]) => `${name}=${value}`)
      .join(', ')}`,
  );
  lines.push(
    'Benchmark process CPU = client + worker + model server (one Node process; in back-fill mode the client only waits); "cores" = CPU time / wall time.',
  );
  if (report.client.length > 0)
    lines.push(
      '',
      'Client mode: the client starts each cascade and awaits its answer.',
      ...renderClientTable(report.client),
    );
  if (report.backfill.length > 0) lines.push('', ...renderBackfillTables(report.backfill));
  for (const timeline of report.timelines) lines.push('', ...renderTimeline(timeline));
  return lines.join('\n');
}

function renderClientTable(results: ThroughputResult[]): string[] {
  const header = [
    'latency',
    'in flight',
    'cascades',
    'wall s',
    'cascades/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'escalated',
    'failed',
    'bench cores',
    'server cores',
  ];
  const rows = results.map((result) => [
    result.latency,
    String(result.concurrency),
    String(result.requests),
    result.wallSeconds.toFixed(1),
    result.cascadesPerSecond.toFixed(1),
    result.latencyMs.p50.toFixed(0),
    result.latencyMs.p95.toFixed(0),
    result.latencyMs.p99.toFixed(0),
    String(result.escalations),
    String(result.failures),
    result.benchmarkProcessCores.toFixed(2),
    cores(result.devServerCores),
  ]);
  const lines = renderTable(header, rows);
  for (const result of results)
    if (result.firstFailure)
      lines.push(`  ${result.latency}/${result.concurrency} first failure: ${result.firstFailure}`);
  return lines;
}

function renderBackfillTables(results: BackfillThroughputResult[]): string[] {
  const lines = ['Back-fill mode: one job per row drains a JSONL file, starting one child cascade per request.'];
  lines.push(
    ...renderTable(
      [
        'latency',
        'in flight',
        'cascades',
        'job s',
        'span s',
        'cascades/s',
        'mean in flight',
        'max in flight',
        'runs',
        'escalated',
        'failed',
        'bench cores',
        'server cores',
      ],
      results.map((result) => [
        result.latency,
        String(result.concurrency),
        String(result.cascades),
        result.jobSeconds.toFixed(1),
        result.cascadeSpanSeconds.toFixed(1),
        result.cascadesPerSecond.toFixed(1),
        result.meanInFlight.toFixed(1),
        String(result.maxInFlight),
        String(result.runs),
        String(result.escalations),
        String(result.failures),
        result.benchmarkProcessCores.toFixed(2),
        cores(result.devServerCores),
      ]),
    ),
  );
  for (const result of results)
    if (result.firstFailure)
      lines.push(`  ${result.latency}/${result.concurrency} first failure: ${result.firstFailure}`);
  lines.push("  span = first cascade initiated → last cascade closed, in the job's history; cascades/s over the span.");

  lines.push('', 'Where the time goes (back-fill, ms, p50 / p95 per cascade):');
  lines.push(
    ...renderTable(
      [
        'latency',
        'in flight',
        'start child',
        'cascade',
        'close recorded',
        'back to job',
        'slot',
        'job tasks',
        'task wait',
        'task run',
        'job activities',
      ],
      results.map((result) => {
        const activities = Object.values(result.jobActivities);
        return [
          result.latency,
          String(result.concurrency),
          pair(result.phasesMs.childStart),
          pair(result.phasesMs.cascade),
          pair(result.phasesMs.closeRecorded),
          pair(result.phasesMs.completionToJob),
          pair(result.phasesMs.slot),
          String(result.jobWorkflowTasks.count),
          pair(result.jobWorkflowTasks.scheduledToStartedMs),
          pair(result.jobWorkflowTasks.startedToCompletedMs),
          `${activities.reduce((sum, activity) => sum + activity.count, 0)} in ${activities.reduce((sum, activity) => sum + activity.totalMs, 0).toFixed(0)} ms`,
        ];
      }),
    ),
  );
  lines.push(
    "  start child: initiated → ChildWorkflowExecutionStarted, both in the job's history.",
    "  cascade: the cascade's own start → close. close recorded: its close → the close in the job's history.",
    "  back to job: its close → the job's next workflow task completed (the slot is free again).",
    '  slot: initiated → close recorded; cascades/s ≈ mean in flight / mean slot.',
    "  task wait / task run: the job's workflow tasks, scheduled → started and started → completed.",
    '  job activities: source count, page reads (read before the queue runs dry) and outcome writes (in the background).',
  );
  return lines;
}

function renderTimeline(timeline: CascadeTimeline): string[] {
  const breakdown = timeline.breakdown;
  return [
    `One cascade: ${timeline.workflowId} (${breakdown.totalMs.toFixed(0)} ms first to last event)`,
    ...renderTable(
      ['event', '+ms', 'Δms', 'type', 'detail'],
      timeline.events.map((event) => [
        String(event.eventId),
        event.atMs.toFixed(1),
        event.sincePreviousMs.toFixed(1),
        event.type,
        event.detail ?? '',
      ]),
    ),
    `  workflow tasks: ${breakdown.workflowTasks}, scheduled→started ${breakdown.workflowTaskScheduledToStartedMs.toFixed(1)} ms, started→completed ${breakdown.workflowTaskStartedToCompletedMs.toFixed(1)} ms (local activities ${breakdown.localActivities.join(', ') || 'none'} run inside them)`,
    `  activities: ${breakdown.activities}, scheduled→started ${breakdown.activityScheduledToStartedMs.toFixed(1)} ms, started→completed ${breakdown.activityStartedToCompletedMs.toFixed(1)} ms (model calls)`,
  ];
}

function pair(distribution: Percentiles): string {
  const format = (value: number) => (Number.isNaN(value) ? 'n/a' : value < 10 ? value.toFixed(1) : value.toFixed(0));
  return `${format(distribution.p50)} / ${format(distribution.p95)}`;
}

function cores(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(2);
}

const leftAligned = ['latency', 'type', 'detail'];

/** Figures aligned right, words left, a rule under the header. */
function renderTable(header: string[], rows: string[][]): string[] {
  const rightAligned = header.flatMap((title, column) => (leftAligned.includes(title) ? [] : [column]));
  return renderConsoleTable({ header, rows, rightAligned, headerRule: true }).split('\n');
}
