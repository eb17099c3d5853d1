import { registerReportCommand } from './report-command';
import { runInProcess } from './in-process-command.fixture';

/** Runs `cascade report` with these arguments in-process; returns its exit code and what it printed. */
function report(args: string[], environment: Record<string, string> = {}) {
  return runInProcess({
    register: registerReportCommand,
    args: ['report', ...args],
    environment,
    unset: ['CASCADE_LEDGER_URL'],
  });
}

describe('cascade report, refusing bad input before reading anything', () => {
  it('names an unknown grouping key, with exit code 2', async () => {
    const result = await report(['--by', 'route,models']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'error (InvalidReportOptions): --by: unknown grouping key "models"; use any of route, customer, tier, reason, outcome, model\n',
    );
  });

  it('reports a malformed --since as one JSON error with --json', async () => {
    const result = await report(['--since', 'last week', '--json']);
    expect(result.exitCode).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        type: 'InvalidReportOptions',
        message: expect.stringMatching(/^--since: expected a duration before now/),
      },
    });
  });

  it('refuses an unknown --format and a --format that contradicts --json', async () => {
    expect((await report(['--format', 'xml'])).stderr).toContain(
      '--format: expected one of table, csv, json, got "xml"',
    );
    const conflicting = await report(['--format', 'csv', '--json']);
    expect(conflicting.exitCode).toBe(2);
    expect(JSON.parse(conflicting.stdout).error.message).toBe(
      '--json asks for JSON but --format asks for csv: pass one of them',
    );
  });

  it('refuses a ledger URL with a password, from the flag or the environment, without printing it', async () => {
    const fromFlag = await report(['--ledger', 'postgres://cascade:hunter2@127.0.0.1/test']);
    expect(fromFlag.exitCode).toBe(2);
    expect(fromFlag.stderr).toMatch(/^error \(InvalidConfiguration\): --ledger contains a password/);
    expect(fromFlag.stderr).not.toContain('hunter2');
    const fromEnvironment = await report(['--json'], {
      CASCADE_LEDGER_URL: 'postgres://cascade:hunter2@127.0.0.1/test',
    });
    expect(fromEnvironment.exitCode).toBe(2);
    expect(JSON.parse(fromEnvironment.stdout).error.message).toMatch(/^CASCADE_LEDGER_URL contains a password/);
    expect(fromEnvironment.stdout).not.toContain('hunter2');
  });
});
