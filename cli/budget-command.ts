import { Option, type Command } from 'commander';
import { ConfigurationError } from '../config/configuration-error';
import {
  budgetActions,
  budgetLabel,
  budgetLimitSchema,
  budgetPeriods,
  type BudgetLimit,
  type BudgetScope,
  type BudgetStanding,
} from '../contracts/cascade/budget';
import { describeIssues } from '../contracts/cascade/cascade-request';
import { formatUsd } from '../contracts/cascade/describe-outcome';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import { ledgerEnvironment } from '../operations/ledger/ledger-from-environment';
import { defaultLedgerTable } from '../operations/ledger/ledger-schema';
import { PostgresCostLedger } from '../operations/ledger/postgres-ledger';
import { renderConsoleTable } from '../operations/reporting/console-table';
import { printReport, reportFailure } from './command-output';

interface LedgerOptions {
  ledger?: string;
  ledgerTable: string;
  json: boolean;
}

interface ScopeOptions {
  customer?: string;
  route?: string;
}

interface SetOptions extends LedgerOptions, ScopeOptions {
  period: string;
  soft?: string;
  hard?: string;
  action: string;
}

interface ShowOptions extends LedgerOptions, ScopeOptions {}

interface RemoveOptions extends LedgerOptions, ScopeOptions {
  period: string;
}

/**
 * `cascade budget set|show|remove`: spending caps per customer or route per UTC day or month, kept next
 * to the cost ledger (`<table>_budgets`); spend is what the ledger holds for the period. Workers with that
 * ledger check them before each request.
 */
export function registerBudgetCommand(program: Command): void {
  const budget = program.command('budget').description('spending caps per customer or route, per UTC day or month');
  const withLedger = (command: Command) =>
    command
      .addOption(
        new Option(
          '--ledger <url>',
          'the cost ledger (postgres://user@host/db; the password comes from PGPASSWORD)',
        ).env(ledgerEnvironment.url),
      )
      .addOption(
        new Option('--ledger-table <name>', 'the ledger table')
          .env(ledgerEnvironment.table)
          .default(defaultLedgerTable),
      )
      .option('--json', 'print one JSON object', false);
  const withScope = (command: Command) =>
    command
      .option('--customer <name>', "the budget of a customer (the requests' customer tag)")
      .option('--route <name>', 'the budget of a route');

  withLedger(
    withScope(
      budget
        .command('set')
        .description('set (or replace) the budget of a customer or route for a period')
        .addOption(new Option('--period <period>', 'the UTC period').choices(budgetPeriods).default('day'))
        .option('--soft <usd>', 'past this spend, warn in the log and the result, and raise the alert')
        .option('--hard <usd>', 'at this spend, apply --action')
        .addOption(
          new Option('--action <action>', 'at the hard cap: refuse (HTTP 429) or answer with the cheap tier only')
            .choices(budgetActions)
            .default('refuse'),
        ),
    ),
  ).action(async (options: SetOptions) => {
    process.exitCode = await withBudgets(
      options,
      () => limitOf(options),
      async (ledger, limit) => {
        await ledger.budgets.set(limit);
        const [standing] = await ledger.budgets
          .standings({
            at: new Date(),
            ...(limit.scope === 'customer' ? { customer: limit.name } : { route: limit.name }),
          })
          .then((standings) =>
            standings.filter((entry) => entry.limit.scope === limit.scope && entry.limit.period === limit.period),
          );
        return { report: { set: limit, standing }, text: () => `set: ${describeStanding(standing!)}` };
      },
    );
  });

  withLedger(
    withScope(budget.command('show').description("every budget (or one scope's) with its spend this period")),
  ).action(async (options: ShowOptions) => {
    process.exitCode = await withBudgets(
      options,
      () => undefined,
      async (ledger) => {
        const standings = (await ledger.budgets.standings({ at: new Date(), all: true })).filter(
          (standing) =>
            (options.customer === undefined ||
              (standing.limit.scope === 'customer' && standing.limit.name === options.customer)) &&
            (options.route === undefined ||
              (standing.limit.scope === 'route' && standing.limit.name === options.route)),
        );
        return { report: { budgets: standings }, text: () => renderStandings(standings) };
      },
    );
  });

  withLedger(
    withScope(
      budget
        .command('remove')
        .description('remove the budget of a customer or route for a period')
        .addOption(new Option('--period <period>', 'the UTC period').choices(budgetPeriods).default('day')),
    ),
  ).action(async (options: RemoveOptions) => {
    process.exitCode = await withBudgets(
      options,
      () => scopeOf(options),
      async (ledger, scope) => {
        const removed = await ledger.budgets.remove({ ...scope, period: options.period as BudgetLimit['period'] });
        const label = budgetLabel({ ...scope, period: options.period as BudgetLimit['period'] });
        return {
          report: { removed, budget: { ...scope, period: options.period } },
          text: () => `${removed ? 'removed' : 'no budget'}: ${label}`,
        };
      },
    );
  });
}

/** Checks the options (`check`), then connects to the ledger and runs the command; reports either's failure. */
async function withBudgets<Checked>(
  options: LedgerOptions,
  check: () => Checked,
  run: (ledger: PostgresCostLedger, checked: Checked) => Promise<{ report: unknown; text: () => string }>,
): Promise<number> {
  let ledger: PostgresCostLedger | undefined;
  try {
    const checked = check();
    const url = options.ledger?.trim();
    if (!url) throw new ConfigurationError({ message: `no ledger: pass --ledger URL or set ${ledgerEnvironment.url}` });
    ledger = await PostgresCostLedger.connect({
      connectionString: url,
      table: options.ledgerTable,
      source: '--ledger',
    });
    const { report, text } = await run(ledger, checked);
    printReport({ json: options.json, report, text });
    return 0;
  } catch (error) {
    return reportFailure(error, { json: options.json });
  } finally {
    await ledger?.close();
  }
}

function scopeOf(options: ScopeOptions): { scope: BudgetScope; name: string } {
  if ((options.customer === undefined) === (options.route === undefined))
    throw invalidOptions('name exactly one of --customer NAME and --route NAME');
  return options.customer !== undefined
    ? { scope: 'customer', name: options.customer }
    : { scope: 'route', name: options.route! };
}

function limitOf(options: SetOptions): BudgetLimit {
  const usd = (value: string | undefined, option: string) => {
    if (value === undefined) return undefined;
    const amount = Number(value.replace(/^\$/, ''));
    if (value.trim() === '' || !Number.isFinite(amount) || amount < 0)
      throw invalidOptions(`${option}: expected an amount in USD such as 10 or 2.50, got ${JSON.stringify(value)}`);
    return amount;
  };
  const parsed = budgetLimitSchema.safeParse({
    ...scopeOf(options),
    period: options.period,
    ...(options.soft !== undefined ? { softUsd: usd(options.soft, '--soft') } : {}),
    ...(options.hard !== undefined ? { hardUsd: usd(options.hard, '--hard') } : {}),
    action: options.action,
  });
  if (!parsed.success)
    throw invalidOptions(
      describeIssues(parsed.error)
        .replace(/^\(input\): /, '')
        .replace('softUsd', '--soft')
        .replace('hardUsd', '--hard'),
    );
  return parsed.data;
}

function invalidOptions(message: string): CascadeError<string> {
  return new CascadeError({ type: failureTypes.invalidOptions, message });
}

function describeStanding(standing: BudgetStanding): string {
  const caps = [
    standing.limit.softUsd !== undefined ? `soft ${formatUsd(standing.limit.softUsd)}` : '',
    standing.limit.hardUsd !== undefined ? `hard ${formatUsd(standing.limit.hardUsd)} (${standing.limit.action})` : '',
  ].filter(Boolean);
  return `${budgetLabel(standing.limit)} · ${caps.join(' · ')} · ${formatUsd(standing.spentUsd)} spent since ${standing.periodStart} · ${standing.state}`;
}

function renderStandings(standings: BudgetStanding[]): string {
  if (standings.length === 0) return 'no budgets';
  return renderConsoleTable({
    header: ['scope', 'name', 'period', 'spent', 'soft', 'hard', 'at the hard cap', 'state', 'resets'],
    rows: standings.map((standing) => [
      standing.limit.scope,
      standing.limit.name,
      standing.limit.period,
      formatUsd(standing.spentUsd),
      standing.limit.softUsd === undefined ? '-' : formatUsd(standing.limit.softUsd),
      standing.limit.hardUsd === undefined ? '-' : formatUsd(standing.limit.hardUsd),
      standing.limit.action,
      standing.state,
      standing.periodEnd,
    ]),
    rightAligned: [3, 4, 5],
  });
}
