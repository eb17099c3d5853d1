import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import { defaultTaskQueue, describeIssues } from '../contracts/cascade/cascade-request';
import { describeDuration } from '../contracts/describe-duration';
import {
  escalationDriftCheckInputSchema,
  escalationDriftCheckWorkflowType,
  type EscalationDriftCheckInput,
} from '../contracts/drift/drift-check';
import { InvalidDriftCheckError } from '../operations/drift/invalid-drift-check-error';

/** Every drift schedule's id starts with this, followed by the route. */
export const driftScheduleIdPrefix = 'cascade-drift-';

/** How often a drift schedule runs its check, unless told. */
export const defaultDriftCheckIntervalMs = 3_600_000;

/** The window a drift check measures, unless told. */
export const defaultDriftWindowMs = 86_400_000;

/** The shortest interval a schedule takes: Temporal schedules work in whole seconds. */
const minimumIntervalMs = 1_000;

/** Temporal's smallest catch-up window. */
const minimumCatchupWindowMs = 10_000;

/** Bounds a check stuck on a down worker, so the schedule's next run is not skipped forever. */
const checkExecutionTimeout = '30 minutes';

export interface DriftScheduleSpec {
  /** The check each run starts: route, window and thresholds. */
  check: EscalationDriftCheckInput;
  /** How often the check runs. @default 1 hour */
  everyMs?: number;
  /** The task queue of the cascade workers that run it. @default 'cascade' */
  taskQueue?: string;
}

/** A drift schedule as `list` reports it. */
export interface DriftScheduleInfo {
  scheduleId: string;
  route: string;
  /** Undefined for a schedule (of this id prefix) that is not an interval schedule. */
  everyMs: number | undefined;
  taskQueue: string | undefined;
  /** The check each run starts; undefined when the schedule's arguments are not a drift check. */
  check: EscalationDriftCheckInput | undefined;
  paused: boolean;
  note?: string;
  /** The latest runs, newest last, ISO 8601. */
  recentRuns: Array<{ workflowId: string; takenAt: string }>;
  nextRunAt?: string;
}

/** The schedule id of a route's drift check: `cascade-drift-<route>`. */
export function driftScheduleIdOf(route: string): string {
  return `${driftScheduleIdPrefix}${route}`;
}

/**
 * The schedule of a route's drift check: every `everyMs`, start `escalationDriftCheck` with the check as
 * input. A run still going when the next is due makes the next one skipped (overlap `SKIP`); runs
 * missed while Temporal was down are made up only within one interval.
 */
export function driftScheduleOptions(spec: DriftScheduleSpec): ScheduleOptions {
  const parsed = escalationDriftCheckInputSchema.safeParse(spec.check);
  if (!parsed.success)
    throw new InvalidDriftCheckError({ message: `invalid drift schedule: ${describeIssues(parsed.error)}` });
  const everyMs = spec.everyMs ?? defaultDriftCheckIntervalMs;
  if (!Number.isInteger(everyMs) || everyMs < minimumIntervalMs)
    throw new InvalidDriftCheckError({
      message: `invalid drift schedule: every: must be at least 1 second, got ${everyMs} ms`,
    });
  const check = parsed.data;
  const scheduleId = driftScheduleIdOf(check.route);
  return {
    scheduleId,
    spec: { intervals: [{ every: everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: escalationDriftCheckWorkflowType,
      args: [check],
      taskQueue: spec.taskQueue ?? defaultTaskQueue,
      // Temporal appends each run's scheduled time to this id.
      workflowId: scheduleId,
      workflowExecutionTimeout: checkExecutionTimeout,
      staticSummary: `escalation drift · ${check.route} · every ${describeDuration(everyMs)} over ${describeDuration(check.windowMs)}`,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(everyMs, minimumCatchupWindowMs) },
  };
}

/**
 * Creates the route's drift schedule, or updates it to this spec when it exists (its paused state and
 * note are kept). Safe to run again with the same spec.
 */
export async function upsertDriftSchedule(
  client: Client,
  spec: DriftScheduleSpec,
): Promise<{ scheduleId: string; created: boolean }> {
  const options = driftScheduleOptions(spec);
  try {
    await client.schedule.create(options);
    return { scheduleId: options.scheduleId, created: true };
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
  }
  await client.schedule.getHandle(options.scheduleId).update((previous) => ({
    ...previous,
    spec: options.spec,
    action: options.action,
    policies: options.policies,
    state: { paused: previous.state.paused, ...(previous.state.note ? { note: previous.state.note } : {}) },
  }));
  return { scheduleId: options.scheduleId, created: false };
}

/** The route's drift schedule, or undefined when it has none. */
export async function describeDriftSchedule(client: Client, route: string): Promise<DriftScheduleInfo | undefined> {
  const scheduleId = driftScheduleIdOf(route);
  try {
    return infoOf(await client.schedule.getHandle(scheduleId).describe());
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Every drift schedule of the namespace, by route. Schedule listing is eventually consistent: one
 * created a moment ago may be missing for a second or two.
 */
export async function listDriftSchedules(client: Client): Promise<DriftScheduleInfo[]> {
  const schedules: DriftScheduleInfo[] = [];
  for await (const summary of client.schedule.list()) {
    if (!summary.scheduleId.startsWith(driftScheduleIdPrefix)) continue;
    const info = await describeDriftSchedule(client, summary.scheduleId.slice(driftScheduleIdPrefix.length));
    if (info) schedules.push(info);
  }
  return schedules.sort((left, right) => left.route.localeCompare(right.route));
}

/** Deletes the route's drift schedule; `deleted: false` when it had none. A check already running finishes. */
export async function deleteDriftSchedule(
  client: Client,
  route: string,
): Promise<{ scheduleId: string; deleted: boolean }> {
  const scheduleId = driftScheduleIdOf(route);
  try {
    await client.schedule.getHandle(scheduleId).delete();
    return { scheduleId, deleted: true };
  } catch (error) {
    if (error instanceof ScheduleNotFoundError) return { scheduleId, deleted: false };
    throw error;
  }
}

function infoOf(description: ScheduleDescription): DriftScheduleInfo {
  const parsed = escalationDriftCheckInputSchema.safeParse(description.action.args?.[0]);
  const nextRun = description.info.nextActionTimes[0];
  return {
    scheduleId: description.scheduleId,
    route: description.scheduleId.slice(driftScheduleIdPrefix.length),
    everyMs: description.spec.intervals?.[0]?.every,
    taskQueue: description.action.taskQueue,
    check: parsed.success ? parsed.data : undefined,
    paused: description.state.paused,
    ...(description.state.note ? { note: description.state.note } : {}),
    recentRuns: description.info.recentActions.map((action) => ({
      workflowId: action.action.workflow.workflowId,
      takenAt: action.takenAt.toISOString(),
    })),
    ...(nextRun ? { nextRunAt: nextRun.toISOString() } : {}),
  };
}
