import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface TimelineEvent {
  eventId: number;
  /** Milliseconds since the workflow's first event. */
  atMs: number;
  /** Milliseconds since the previous event. */
  sincePreviousMs: number;
  type: string;
  /** The activity or local activity type, when the event is about one. */
  detail?: string;
}

/** Where the time of one cascade went, summed over its phases (ms). */
export interface TimelineBreakdown {
  totalMs: number;
  workflowTaskScheduledToStartedMs: number;
  workflowTaskStartedToCompletedMs: number;
  workflowTasks: number;
  activityScheduledToStartedMs: number;
  activityStartedToCompletedMs: number;
  activities: number;
  /** Local activities (gate, pricing) recorded as markers; their time is inside the workflow tasks. */
  localActivities: string[];
}

export interface CascadeTimeline {
  workflowId: string;
  events: TimelineEvent[];
  breakdown: TimelineBreakdown;
}

/** Reads a cascade's history and turns it into the time between its events. */
export function cascadeTimeline(workflowId: string, history: HistoryEvent[]): CascadeTimeline {
  const first = timeOf(history[0]);
  const scheduledAt = new Map<number, number>();
  const activityTypes = new Map<number, string>();
  const breakdown: TimelineBreakdown = {
    totalMs: timeOf(history[history.length - 1]) - first,
    workflowTaskScheduledToStartedMs: 0,
    workflowTaskStartedToCompletedMs: 0,
    workflowTasks: 0,
    activityScheduledToStartedMs: 0,
    activityStartedToCompletedMs: 0,
    activities: 0,
    localActivities: [],
  };
  let previous = first;
  const events = history.map((event): TimelineEvent => {
    const at = timeOf(event);
    const eventId = Number(event.eventId);
    const type = (temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType)).replace(
      /^EVENT_TYPE_/,
      '',
    );
    let detail: string | undefined;
    if (event.workflowTaskScheduledEventAttributes) scheduledAt.set(eventId, at);
    if (event.workflowTaskStartedEventAttributes) {
      breakdown.workflowTaskScheduledToStartedMs +=
        at - (scheduledAt.get(Number(event.workflowTaskStartedEventAttributes.scheduledEventId)) ?? at);
      scheduledAt.set(eventId, at);
    }
    if (event.workflowTaskCompletedEventAttributes) {
      breakdown.workflowTaskStartedToCompletedMs +=
        at - (scheduledAt.get(Number(event.workflowTaskCompletedEventAttributes.startedEventId)) ?? at);
      breakdown.workflowTasks += 1;
    }
    const scheduledActivity = event.activityTaskScheduledEventAttributes;
    if (scheduledActivity) {
      scheduledAt.set(eventId, at);
      activityTypes.set(eventId, scheduledActivity.activityType?.name ?? '?');
      detail = scheduledActivity.activityType?.name ?? undefined;
    }
    const startedActivity = event.activityTaskStartedEventAttributes;
    if (startedActivity) {
      const scheduledEventId = Number(startedActivity.scheduledEventId);
      breakdown.activityScheduledToStartedMs += at - (scheduledAt.get(scheduledEventId) ?? at);
      scheduledAt.set(eventId, at);
      detail = `${activityTypes.get(scheduledEventId) ?? '?'}, attempt ${startedActivity.attempt ?? 1}`;
    }
    const completedActivity = event.activityTaskCompletedEventAttributes;
    if (completedActivity) {
      breakdown.activityStartedToCompletedMs += at - (scheduledAt.get(Number(completedActivity.startedEventId)) ?? at);
      breakdown.activities += 1;
      detail = activityTypes.get(Number(completedActivity.scheduledEventId));
    }
    if (event.markerRecordedEventAttributes) {
      detail = localActivityType(event) ?? event.markerRecordedEventAttributes.markerName ?? undefined;
      if (detail) breakdown.localActivities.push(detail);
    }
    const timelineEvent: TimelineEvent = {
      eventId,
      atMs: at - first,
      sincePreviousMs: at - previous,
      type,
      ...(detail === undefined ? {} : { detail }),
    };
    previous = at;
    return timelineEvent;
  });
  return { workflowId, events, breakdown };
}

/** An event's time in ms since the epoch (0 when it has none). */
export function timeOf(event: HistoryEvent | undefined): number {
  const time = event?.eventTime;
  if (!time) return 0;
  return Number(time.seconds ?? 0) * 1000 + (time.nanos ?? 0) / 1e6;
}

/** The activity type of a local activity marker (sdk-core writes it as JSON in `details.data`). */
function localActivityType(event: HistoryEvent): string | undefined {
  const data = event.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  try {
    return (JSON.parse(Buffer.from(data).toString('utf8')) as { activity_type?: string }).activity_type;
  } catch {
    return undefined;
  }
}
