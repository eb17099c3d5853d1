import type { Client } from '@temporalio/client';
import { taskQueuePollers } from '../workers/foreign-pollers';

/** Whether the API can answer: Temporal answers, and workers poll the cascades' task queue. */
export interface Readiness {
  ready: boolean;
  temporal: 'reachable' | 'unreachable';
  /** Workers the server saw polling the task queue lately (workflow and activity pollers, by identity). */
  workers: number;
  taskQueue: string;
  /** Why not ready, when not. */
  problem?: string;
}

/**
 * Asks the server for the task queue's pollers; answers from a cache for `cacheMs`, so a probe every
 * second costs the server one call every few seconds.
 */
export function readinessCheck(options: {
  client: Client;
  namespace: string;
  taskQueue: string;
  /** @default 2000 */
  cacheMs?: number;
}): () => Promise<Readiness> {
  let cached: { at: number; readiness: Promise<Readiness> } | undefined;
  const cacheMs = options.cacheMs ?? 2_000;
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > cacheMs) cached = { at: now, readiness: checkReadiness(options) };
    return cached.readiness;
  };
}

async function checkReadiness(options: { client: Client; namespace: string; taskQueue: string }): Promise<Readiness> {
  let identities: Set<string>;
  try {
    // A probe must not hang on a server that does not answer.
    const pollers = await options.client.connection.withDeadline(Date.now() + 5_000, () => taskQueuePollers(options));
    identities = new Set(pollers.map((poller) => poller.identity ?? ''));
  } catch (error) {
    return {
      ready: false,
      temporal: 'unreachable',
      workers: 0,
      taskQueue: options.taskQueue,
      problem: `Temporal does not answer: ${(error as Error).message}`,
    };
  }
  const workers = identities.size;
  return {
    ready: workers > 0,
    temporal: 'reachable',
    workers,
    taskQueue: options.taskQueue,
    ...(workers === 0 ? { problem: `no worker polls the task queue ${options.taskQueue}` } : {}),
  };
}
