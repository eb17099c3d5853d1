import { readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { lock } from 'proper-lockfile';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

export interface BuildLockOptions {
  /** Path of the lock (a directory, created atomically); who holds it is written beside it, in `<path>.holder`. */
  path: string;
  /** Called once when another process holds the lock, with its description. */
  onWait?: (holder: string) => void;
  /** How often the holder touches the lock so waiters can tell it is alive (at least 1 s, at most half of `staleAfterMs`). @default 10_000 */
  heartbeatMs?: number;
  /** A lock untouched for this long is stale (its holder died) and is taken over (at least 2 s). @default 60_000 */
  staleAfterMs?: number;
  /** How often a waiter looks again. @default 500 */
  pollMs?: number;
  /** Give up waiting after this long. @default 30 minutes */
  timeoutMs?: number;
}

export interface BuildLock {
  release(): Promise<void>;
}

interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

/**
 * Takes an exclusive lock so two processes (say jest and a demo) never build the CLI at once. The second
 * waits until the first releases it; a lock whose holder died stops being touched and, once untouched for
 * `staleAfterMs`, is taken over.
 *
 * @throws TemporalSetupError of type `TemporalCliBuildLockTimeout` after waiting `timeoutMs`.
 */
export async function acquireBuildLock(options: BuildLockOptions): Promise<BuildLock> {
  const pollMs = options.pollMs ?? 500;
  const lockOptions = {
    lockfilePath: options.path,
    realpath: false,
    stale: options.staleAfterMs ?? 60_000,
    update: options.heartbeatMs ?? 10_000,
    // A lock that could not be touched in time may have been taken over; the build goes on either way.
    onCompromised: () => undefined,
  };
  let release: () => Promise<void>;
  try {
    release = await lock(options.path, lockOptions);
  } catch (error) {
    if (!isLockedError(error)) throw error;
    options.onWait?.(await describeHolder(options.path));
    const retries = Math.max(1, Math.ceil((options.timeoutMs ?? 30 * 60_000) / pollMs));
    try {
      release = await lock(options.path, {
        ...lockOptions,
        retries: { retries, factor: 1, minTimeout: pollMs, maxTimeout: pollMs },
      });
    } catch (retryError) {
      if (!isLockedError(retryError)) throw retryError;
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.buildLockTimeout,
        message: `Gave up waiting for the build lock ${options.path}; if no other build is running, delete it.`,
      });
    }
  }
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  await writeFile(holderPath(options.path), JSON.stringify(holder));
  return {
    async release() {
      await rm(holderPath(options.path), { force: true });
      await release();
    },
  };
}

function holderPath(lockPath: string): string {
  return `${lockPath}.holder`;
}

async function describeHolder(lockPath: string): Promise<string> {
  try {
    const holder = JSON.parse(await readFile(holderPath(lockPath), 'utf8')) as LockHolder;
    return `pid ${holder.pid} on ${holder.hostname}, since ${holder.startedAt}`;
  } catch {
    // Not written yet (the lock was just taken) or already removed (just released).
    return 'another process';
  }
}

function isLockedError(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ELOCKED';
}
