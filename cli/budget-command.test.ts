import { ledgerTables } from '../operations/ledger/ledger-schema';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { registerBudgetCommand } from './budget-command';
import { runInProcess } from './in-process-command.fixture';

// The PostgreSQL of the test machine: trust authentication on 127.0.0.1, database `test`.
const connectionString = process.env.CASCADE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const table = `cascade_ledger_budget_cli_${randomBytes(6).toString('hex')}`;

/** Runs `cascade budget` with these arguments in-process, on this file's ledger table; its exit code and output. */
function budget(args: string[]) {
  return runInProcess({
    register: registerBudgetCommand,
    args: ['budget', ...args],
    environment: { CASCADE_LEDGER_URL: connectionString, CASCADE_LEDGER_TABLE: table },
  });
}

afterAll(async () => {
  const database = new Client({ connectionString });
  await database.connect();
  await database.query(`DROP TABLE IF EXISTS ${ledgerTables(table).join(', ')}`);
  await database.end();
});

it('sets, replaces, shows and removes budgets in the ledger', async () => {
  const set = await budget(['set', '--customer', 'acme', '--soft', '8', '--hard', '$10', '--json']);
  expect(set.exitCode).toBe(0);
  expect(JSON.parse(set.stdout)).toMatchObject({
    set: { scope: 'customer', name: 'acme', period: 'day', softUsd: 8, hardUsd: 10, action: 'refuse' },
    standing: { spentUsd: 0, state: 'ok' },
  });
  expect(
    (await budget(['set', '--route', 'summarize', '--period', 'month', '--hard', '500', '--action', 'cheap-only']))
      .stdout,
  ).toMatch(
    /^set: route summarize, month · hard \$500\.0000 \(cheap-only\) · \$0 spent since \d{4}-\d\d-01T00:00:00\.000Z · ok\n$/,
  );
  // Setting it again replaces it.
  await budget(['set', '--customer', 'acme', '--hard', '12']);
  const shown = JSON.parse((await budget(['show', '--json'])).stdout) as { budgets: Array<{ limit: unknown }> };
  expect(shown.budgets.map((standing) => standing.limit)).toEqual([
    { scope: 'customer', name: 'acme', period: 'day', hardUsd: 12, action: 'refuse' },
    { scope: 'route', name: 'summarize', period: 'month', hardUsd: 500, action: 'cheap-only' },
  ]);
  expect((await budget(['show', '--route', 'summarize'])).stdout).toMatch(
    /^scope +name +period +spent .*\nroute +summarize +month +\$0 +- +\$500\.0000 +cheap-only +ok +/,
  );
  expect((await budget(['remove', '--customer', 'acme'])).stdout).toBe('removed: customer acme, day\n');
  expect((await budget(['remove', '--customer', 'acme'])).stdout).toBe('no budget: customer acme, day\n');
  expect(JSON.parse((await budget(['show', '--customer', 'acme', '--json'])).stdout)).toEqual({ budgets: [] });
});

it('refuses bad options before connecting, with exit code 2', async () => {
  for (const [args, message] of [
    [['set', '--hard', '1'], 'name exactly one of --customer NAME and --route NAME'],
    [['set', '--customer', 'a', '--route', 'b', '--hard', '1'], 'name exactly one of --customer NAME and --route NAME'],
    [['set', '--customer', 'a', '--hard', 'ten'], '--hard: expected an amount in USD such as 10 or 2.50, got "ten"'],
    [['set', '--customer', 'a', '--soft', '5', '--hard', '1'], '--soft must not exceed --hard'],
    [['set', '--customer', 'a'], 'a budget needs --soft or --hard'],
  ] as const) {
    const result = await budget([...args]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`error (InvalidOptions): ${message}\n`);
  }
});
