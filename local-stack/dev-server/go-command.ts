import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface GoCommandOptions {
  /** Path of the `go` executable. */
  goBinary: string;
  args: string[];
  /** Complete environment of the child (not merged with this process's). */
  environment: NodeJS.ProcessEnv;
  /** @default the current directory */
  cwd?: string;
  /** Called with each line go writes to stderr (`go: downloading ...`). */
  onLine?: (line: string) => void;
}

export interface GoCommandResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last 64 KiB of stderr. */
  stderr: string;
}

const keptStderrCharacters = 64 * 1024;

/** Runs go, streaming its stderr line by line. Resolves whatever the exit code; rejects only if go cannot start. */
export function runGoCommand(options: GoCommandOptions): Promise<GoCommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.goBinary, options.args, {
      cwd: options.cwd,
      env: options.environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    const lines = createInterface({ input: child.stderr, crlfDelay: Infinity });
    lines.on('line', (line) => {
      stderr = (stderr + line + '\n').slice(-keptStderrCharacters);
      options.onLine?.(line);
    });
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}
