import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServeProcess {
  /** `http://127.0.0.1:PORT/v1`. */
  baseUrl: string;
  pid: number;
  /** Resident memory now and at its peak (VmRSS, VmHWM), in MiB; undefined when unreadable. */
  memoryMiB(): { residentMiB: number | undefined; peakMiB: number | undefined };
  stop(): Promise<void>;
}

/**
 * `cascade serve` as its own process, as a deployment runs it, so its memory is its own: the routes file
 * at `configPath`, Temporal at `address`, listening on `port`. Resolves once `/readyz` answers 200 (a
 * worker polls the queue).
 */
export async function startServeProcess(options: {
  configPath: string;
  address: string;
  port: number;
  taskQueue: string;
  /** Variables added to this process's environment, such as caller keys. @default none */
  environment?: Record<string, string>;
}): Promise<ServeProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      join(__dirname, '..', '..', 'bin', 'cascade.js'),
      'serve',
      '--config',
      options.configPath,
      '--address',
      options.address,
      '--port',
      String(options.port),
      '--task-queue',
      options.taskQueue,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn', ...options.environment } },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const origin = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cascade serve exited with ${child.exitCode}:\n${stderr}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`cascade serve was not ready within 60 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl: `${origin}/v1`,
    pid: child.pid!,
    memoryMiB: () => memoryOf(child.pid!),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function memoryOf(pid: number): { residentMiB: number | undefined; peakMiB: number | undefined } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => {
      const kilobytes = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
      return kilobytes === undefined ? undefined : Number(kilobytes) / 1024;
    };
    return { residentMiB: field('VmRSS'), peakMiB: field('VmHWM') };
  } catch {
    return { residentMiB: undefined, peakMiB: undefined };
  }
}
