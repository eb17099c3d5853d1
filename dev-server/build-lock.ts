import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

export interface BuildLockOptions {
  /** Path of the lock file; created exclusively. */
  path: string;
  /** Called once when another process holds the lock, with its description. */
  onWait?: (holder: string) => void;
  /** How often the holder touches the lock so waiters can tell it is alive. @default 10_000 */
  heartbeatMs?: number;
  /** A lock untouched for this long is stale (its holder died) and is taken over. @default 60_000 */
  staleAfterMs?: number;
  /** How often a waiter looks again. @default 500 */
  pollMs?: number;
  /** Give up waiting after this long. @default 30 minutes */
  timeoutMs?: number;
}

export interface BuildLock {
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  hostname: string;
  startedAt: string;
}

/**
 * Takes an exclusive lock file so two processes (say jest and a demo) never build the CLI at once. The
 * second waits until the first releases it; a lock whose holder died (same host, pid gone) or that has
 * not been touched for `staleAfterMs` is removed and taken.
 */
export async function acquireBuildLock(options: BuildLockOptions): Promise<BuildLock> {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const pollMs = options.pollMs ?? 500;
  const deadline = Date.now() + (options.timeoutMs ?? 30 * 60_000);
  let toldWaiting = false;
  for (;;) {
    const lock = await tryCreateLock(options.path, heartbeatMs);
    if (lock) return lock;
    const holder = await readHolder(options.path);
    if (await isStale(options.path, holder, staleAfterMs)) {
      await rm(options.path, { force: true });
      continue;
    }
    if (!toldWaiting) {
      toldWaiting = true;
      options.onWait?.(
        holder ? `pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}` : 'another process',
      );
    }
    if (Date.now() > deadline) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.buildLockTimeout,
        message: `Gave up waiting for the build lock ${options.path}; if no other build is running, delete it.`,
      });
    }
    await sleep(pollMs);
  }
}

async function tryCreateLock(path: string, heartbeatMs: number): Promise<BuildLock | undefined> {
  let handle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  const content: LockContent = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  await handle.writeFile(JSON.stringify(content));
  await handle.close();
  const heartbeat = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  heartbeat.unref();
  return {
    async release() {
      clearInterval(heartbeat);
      await rm(path, { force: true });
    },
  };
}

async function readHolder(path: string): Promise<LockContent | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockContent;
  } catch {
    // Missing (just released) or half-written (just created): treat as unknown, look again.
    return undefined;
  }
}

async function isStale(path: string, holder: LockContent | undefined, staleAfterMs: number): Promise<boolean> {
  if (holder && holder.hostname === hostname() && !isProcessAlive(holder.pid)) return true;
  try {
    return Date.now() - (await stat(path)).mtimeMs > staleAfterMs;
  } catch {
    return false;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
