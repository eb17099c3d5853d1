import { Command } from 'commander';

/**
 * Runs one `cascade` command in-process, as the CLI would: `register` adds it to a fresh program, `args`
 * follow `cascade`. The environment is `environment` over this process's, without the `unset` variables;
 * it is restored after. Returns the exit code the command set and what it printed.
 */
export async function runInProcess(options: {
  register: (program: Command) => void;
  args: string[];
  environment?: Record<string, string>;
  unset?: string[];
}): Promise<{ exitCode: number | undefined; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  const output = { stdout: '', stderr: '' };
  const stdout = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((output.stdout += String(chunk)), true));
  const stderr = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((output.stderr += String(chunk)), true));
  for (const name of options.unset ?? []) delete process.env[name];
  Object.assign(process.env, options.environment ?? {});
  process.exitCode = undefined;
  try {
    const program = new Command('cascade').exitOverride();
    options.register(program);
    await program.parseAsync(['node', 'cascade', ...options.args]);
    return { exitCode: process.exitCode as number | undefined, ...output };
  } finally {
    process.exitCode = undefined;
    process.env = saved;
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
