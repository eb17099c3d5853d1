import { timeOf } from './history-timeline';
import type { HistoryEvent } from './run-chain';

/** One cascade the job started, as the job's history saw it (ms since the epoch). */
export interface JobChild {
  workflowId: string;
  /** The cascade's run id, once the job saw it start. */
  runId?: string;
  /** `StartChildWorkflowExecutionInitiated`: the job's workflow task asked for the cascade. */
  initiatedAtMs: number;
  /** `ChildWorkflowExecutionStarted` recorded in the job's history. */
  startedAtMs?: number;
  /** The cascade's close recorded in the job's history (`ChildWorkflowExecutionCompleted`, `…Failed`, …). */
  closedAtMs?: number;
  /** How it closed: `Completed`, `Failed`, `Canceled`, `TimedOut`, `Terminated` or `StartFailed`. */
  closeType?: string;
  /** The job's first workflow task completed after the close was recorded: the job has acted on it. */
  nextTaskCompletedAtMs?: number;
}

/** What the histories of a job's runs tell about it. */
export interface JobHistoryReading {
  runs: number;
  /** The first run's first event and the last run's last event (ms since the epoch). */
  jobStartedAtMs: number;
  jobClosedAtMs: number;
  children: JobChild[];
  /** One entry per workflow task of the job, over every run. */
  workflowTaskScheduledToStartedMs: number[];
  workflowTaskStartedToCompletedMs: number[];
  /** The job's activities (source reads, counts, outcome writes): how many, and their time scheduled → closed. */
  activities: Record<string, { count: number; totalMs: number }>;
}

const childCloseTypes = [
  ['childWorkflowExecutionCompletedEventAttributes', 'Completed'],
  ['childWorkflowExecutionFailedEventAttributes', 'Failed'],
  ['childWorkflowExecutionCanceledEventAttributes', 'Canceled'],
  ['childWorkflowExecutionTimedOutEventAttributes', 'TimedOut'],
  ['childWorkflowExecutionTerminatedEventAttributes', 'Terminated'],
  ['startChildWorkflowExecutionFailedEventAttributes', 'StartFailed'],
] as const;

const activityCloseAttributes = [
  'activityTaskCompletedEventAttributes',
  'activityTaskFailedEventAttributes',
  'activityTaskTimedOutEventAttributes',
  'activityTaskCanceledEventAttributes',
] as const;

/** Reads the histories of a job's runs (first run first) into its cascades, workflow tasks and activities. */
export function readJobHistories(runs: HistoryEvent[][]): JobHistoryReading {
  const reading: JobHistoryReading = {
    runs: runs.length,
    jobStartedAtMs: timeOf(runs[0]?.[0]),
    jobClosedAtMs: timeOf(runs[runs.length - 1]?.at(-1)),
    children: [],
    workflowTaskScheduledToStartedMs: [],
    workflowTaskStartedToCompletedMs: [],
    activities: {},
  };
  for (const events of runs) readRun(events, reading);
  return reading;
}

function readRun(events: HistoryEvent[], reading: JobHistoryReading): void {
  // Event ids are per run: every lookup below stays within this run.
  const timeById = new Map<number, number>();
  const childByInitiatedId = new Map<number, JobChild>();
  const activityTypeById = new Map<number, string>();
  let awaitingTask: JobChild[] = [];
  for (const event of events) {
    const at = timeOf(event);
    const eventId = Number(event.eventId);
    timeById.set(eventId, at);

    const started = event.workflowTaskStartedEventAttributes;
    if (started)
      reading.workflowTaskScheduledToStartedMs.push(at - (timeById.get(Number(started.scheduledEventId)) ?? at));
    const completed = event.workflowTaskCompletedEventAttributes;
    if (completed) {
      reading.workflowTaskStartedToCompletedMs.push(at - (timeById.get(Number(completed.startedEventId)) ?? at));
      for (const child of awaitingTask) child.nextTaskCompletedAtMs = at;
      awaitingTask = [];
    }

    const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (initiated) {
      const child: JobChild = { workflowId: initiated.workflowId ?? '', initiatedAtMs: at };
      childByInitiatedId.set(eventId, child);
      reading.children.push(child);
    }
    const childStarted = event.childWorkflowExecutionStartedEventAttributes;
    if (childStarted) {
      const child = childByInitiatedId.get(Number(childStarted.initiatedEventId));
      if (child) {
        child.startedAtMs = at;
        child.runId = childStarted.workflowExecution?.runId ?? undefined;
      }
    }
    for (const [attributes, closeType] of childCloseTypes) {
      const closed = event[attributes];
      if (!closed) continue;
      const child = childByInitiatedId.get(Number(closed.initiatedEventId));
      if (!child) continue;
      child.closedAtMs = at;
      child.closeType = closeType;
      awaitingTask.push(child);
    }

    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) activityTypeById.set(eventId, scheduled.activityType?.name ?? '?');
    for (const attributes of activityCloseAttributes) {
      const closed = event[attributes];
      if (!closed) continue;
      const scheduledEventId = Number(closed.scheduledEventId);
      const type = activityTypeById.get(scheduledEventId) ?? '?';
      const totals = (reading.activities[type] ??= { count: 0, totalMs: 0 });
      totals.count += 1;
      totals.totalMs += at - (timeById.get(scheduledEventId) ?? at);
    }
  }
}

/**
 * How many cascades were in flight on average (initiated → close recorded, in the job's history) over
 * the span from the first initiated to the last close, and at most.
 */
export function cascadesInFlight(children: JobChild[]): { spanMs: number; mean: number; max: number } {
  const closed = children.filter((child): child is JobChild & { closedAtMs: number } => child.closedAtMs !== undefined);
  if (closed.length === 0) return { spanMs: 0, mean: Number.NaN, max: 0 };
  const firstInitiated = Math.min(...closed.map((child) => child.initiatedAtMs));
  const lastClosed = Math.max(...closed.map((child) => child.closedAtMs));
  const spanMs = lastClosed - firstInitiated;
  const busyMs = closed.reduce((sum, child) => sum + (child.closedAtMs - child.initiatedAtMs), 0);
  // A close at the same instant as a start frees its slot first.
  const changes = closed
    .flatMap((child) => [
      { at: child.initiatedAtMs, delta: 1 },
      { at: child.closedAtMs, delta: -1 },
    ])
    .sort((left, right) => left.at - right.at || left.delta - right.delta);
  let current = 0;
  let max = 0;
  for (const change of changes) {
    current += change.delta;
    max = Math.max(max, current);
  }
  return { spanMs, mean: spanMs > 0 ? busyMs / spanMs : Number.NaN, max };
}
