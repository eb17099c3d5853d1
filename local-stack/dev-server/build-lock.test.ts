import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireBuildLock } from './build-lock';
import { temporalSetupErrorTypes } from './temporal-setup-error';

describe('acquireBuildLock', () => {
  let directory: string;
  let path: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'build-lock-'));
    path = join(directory, 'build.lock');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('makes the second taker wait until the first releases', async () => {
    const first = await acquireBuildLock({ path });
    const waits: string[] = [];
    let secondHasIt = false;
    const second = acquireBuildLock({ path, pollMs: 20, onWait: (holder) => waits.push(holder) }).then((lock) => {
      secondHasIt = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondHasIt).toBe(false);
    expect(waits).toEqual([expect.stringMatching(new RegExp(`^pid ${process.pid} on ${hostname()}, since `))]);
    await first.release();
    await (await second).release();
    expect(secondHasIt).toBe(true);
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock whose process died holding it, once the lock goes untouched for staleAfterMs', async () => {
    // A process takes the lock and is killed before it can release it.
    const child = spawnSync(
      process.execPath,
      [
        '-e',
        `require('proper-lockfile').lockSync(${JSON.stringify(path)}, { lockfilePath: ${JSON.stringify(path)}, realpath: false }); process.kill(process.pid, 'SIGKILL');`,
      ],
      { cwd: process.cwd() },
    );
    expect(child.signal).toBe('SIGKILL');
    expect(existsSync(path)).toBe(true);
    const startedAt = Date.now();
    const lock = await acquireBuildLock({ path, pollMs: 100, staleAfterMs: 2_000 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_000);
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('takes over a lock nobody has touched for staleAfterMs (a holder on another host)', async () => {
    mkdirSync(path);
    writeFileSync(
      `${path}.holder`,
      JSON.stringify({ pid: 1, hostname: 'elsewhere', startedAt: '2020-01-01T00:00:00Z' }),
    );
    const old = new Date(Date.now() - 120_000);
    utimesSync(path, old, old);
    const lock = await acquireBuildLock({ path, pollMs: 20, staleAfterMs: 60_000 });
    await lock.release();
    expect(existsSync(path)).toBe(false);
  });

  it('gives up after timeoutMs with a message naming the lock file', async () => {
    const first = await acquireBuildLock({ path });
    await expect(acquireBuildLock({ path, pollMs: 20, timeoutMs: 100 })).rejects.toMatchObject({
      type: temporalSetupErrorTypes.buildLockTimeout,
      message: `Gave up waiting for the build lock ${path}; if no other build is running, delete it.`,
    });
    await first.release();
  });
});
