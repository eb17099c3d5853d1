import { Option, type Command } from 'commander';
import { connectTemporalClient } from '../client/connect-temporal';
import { ConfigurationError } from '../config/configuration-error';
import { ledgerEnvironment } from '../operations/ledger/ledger-from-environment';
import { reconcileLedger } from '../operations/ledger/ledger-reconciliation';
import { defaultLedgerTable } from '../operations/ledger/ledger-schema';
import { PostgresCostLedger } from '../operations/ledger/postgres-ledger';
import { reportPeriodOf } from '../operations/reporting/report-period';
import { printReport, reportFailure } from './command-output';

interface LedgerReconcileOptions {
  since: string;
  until?: string;
  ledger?: string;
  ledgerTable: string;
  address?: string;
  namespace?: string;
  json: boolean;
}

export function registerLedgerCommand(program: Command): void {
  const ledger = program.command('ledger').description('the PostgreSQL cost ledger');
  ledger
    .command('reconcile')
    .description(
      "write the missing cost rows of cascades that closed in a window, from the workflows' results (idempotent: run it after a ledger outage, or on a schedule)",
    )
    .option('--since <when>', 'cascades closed since this long ago (30m, 24h, 7d) or this ISO date', '24h')
    .option('--until <when>', 'and before this time (default: now)')
    .addOption(
      new Option('--ledger <url>', 'the ledger (postgres://user@host/db; the password comes from PGPASSWORD)').env(
        ledgerEnvironment.url,
      ),
    )
    .addOption(
      new Option('--ledger-table <name>', 'the ledger table').env(ledgerEnvironment.table).default(defaultLedgerTable),
    )
    .option('--address <host:port>', 'Temporal address (overrides TEMPORAL_ADDRESS)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE)')
    .option('--json', 'print one JSON object', false)
    .action(async (options: LedgerReconcileOptions) => {
      process.exitCode = await reconcileCommand(options);
    });
}

async function reconcileCommand(options: LedgerReconcileOptions): Promise<number> {
  let ledger: PostgresCostLedger | undefined;
  let close: (() => Promise<void>) | undefined;
  try {
    const url = options.ledger?.trim();
    if (!url) throw new ConfigurationError({ message: `no ledger: pass --ledger URL or set ${ledgerEnvironment.url}` });
    const period = reportPeriodOf({ since: options.since, until: options.until, now: new Date() });
    ledger = await PostgresCostLedger.connect({
      connectionString: url,
      table: options.ledgerTable,
      source: '--ledger',
    });
    const client = await connectTemporalClient({ address: options.address, namespace: options.namespace });
    close = () => client.connection.close();
    const tally = await reconcileLedger({ client, ledger, ...period });
    printReport({
      json: options.json,
      report: { ...tally, since: period.since.toISOString(), until: period.until.toISOString() },
      text: () =>
        `${tally.checked} cascades closed from ${period.since.toISOString()} to ${period.until.toISOString()}: ` +
        `${tally.alreadyRecorded} already in the ledger, ${tally.recorded} rows written now, ${tally.withoutRow} without a cost row`,
    });
    return 0;
  } catch (error) {
    return reportFailure(error, { json: options.json });
  } finally {
    await close?.();
    await ledger?.close();
  }
}
