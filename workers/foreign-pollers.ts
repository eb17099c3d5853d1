import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { fingerprintOfIdentity } from './worker-identity';

const { TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY } = temporal.api.enums.v1.TaskQueueType;

/** A worker polling a task queue whose routes fingerprint differs from ours (or that carries none). */
export interface ForeignPoller {
  identity: string;
  /** Its routes fingerprint; undefined when its identity carries none (another program, or an older worker). */
  routesFingerprint: string | undefined;
  /** How long ago the server last saw it poll. */
  lastPolledSecondsAgo: number | undefined;
}

/**
 * The workers the server lists on `taskQueue` (workflow or activity pollers of the last few minutes)
 * that do not serve the routes with fingerprint `routesFingerprint`. A cascade started on that queue may
 * be picked up by any of them.
 */
export async function findForeignPollers(options: {
  client: Client;
  namespace: string;
  taskQueue: string;
  routesFingerprint: string;
  /** @default Date.now() */
  now?: number;
}): Promise<ForeignPoller[]> {
  const now = options.now ?? Date.now();
  const found = new Map<string, ForeignPoller>();
  for (const poller of await taskQueuePollers(options)) {
    const identity = poller.identity ?? '';
    const fingerprint = fingerprintOfIdentity(identity);
    if (fingerprint === options.routesFingerprint) continue;
    const seconds = poller.lastAccessTime?.seconds;
    const lastPolledSecondsAgo = seconds == null ? undefined : Math.max(0, Math.round(now / 1000 - Number(seconds)));
    const previous = found.get(identity);
    if (!previous || (lastPolledSecondsAgo ?? Infinity) < (previous.lastPolledSecondsAgo ?? Infinity)) {
      found.set(identity, { identity, routesFingerprint: fingerprint, lastPolledSecondsAgo });
    }
  }
  return [...found.values()];
}

/**
 * The workers the server lists on `taskQueue`: its workflow pollers, then its activity pollers, of the last
 * few minutes (one worker usually appears in both).
 */
export async function taskQueuePollers(options: {
  client: Client;
  namespace: string;
  taskQueue: string;
}): Promise<temporal.api.taskqueue.v1.IPollerInfo[]> {
  const pollers: temporal.api.taskqueue.v1.IPollerInfo[] = [];
  for (const taskQueueType of [TASK_QUEUE_TYPE_WORKFLOW, TASK_QUEUE_TYPE_ACTIVITY]) {
    const response = await options.client.workflowService.describeTaskQueue({
      namespace: options.namespace,
      taskQueue: { name: options.taskQueue },
      taskQueueType,
    });
    pollers.push(...(response.pollers ?? []));
  }
  return pollers;
}

/** One line naming the foreign workers, for a warning. */
export function describeForeignPollers(options: {
  pollers: readonly ForeignPoller[];
  taskQueue: string;
  address: string;
}): string {
  const listed = options.pollers
    .map(
      (poller) =>
        `${poller.identity || '(no identity)'}${poller.lastPolledSecondsAgo === undefined ? '' : `, last polled ${poller.lastPolledSecondsAgo} s ago`}`,
    )
    .join('; ');
  return (
    `task queue ${options.taskQueue} on ${options.address} is also polled by ${options.pollers.length} worker(s) with other routes (${listed}); ` +
    'cascades started here may run on them, with their routes, and fail where a model is not in their configuration'
  );
}
