import { Option, type Command } from 'commander';
import { connectTemporalClient } from '../client/connect-temporal';
import { LedgerRecordReader } from '../operations/ledger/ledger-record-reader';
import { ledgerEnvironment } from '../operations/ledger/ledger-from-environment';
import { defaultLedgerTable } from '../operations/ledger/ledger-schema';
import { buildGroupedReport, parseGroupKeys, reportGroupKeys } from '../operations/reporting/grouped-report';
import { ReportInputError } from '../operations/reporting/report-input-error';
import {
  renderReport,
  reportFormats,
  type CascadeReport,
  type ReportFormat,
} from '../operations/reporting/report-output';
import { reportPeriodOf } from '../operations/reporting/report-period';
import type { CascadeRecordReader } from '../operations/reporting/reported-cascade';
import { VisibilityRecordReader } from '../operations/reporting/visibility-record-reader';
import { summarizeCanaries, type CanarySummary } from '../operations/reporting/canary-summary';
import { readCanaries } from '../operations/reporting/visibility-canary-reader';
import { reportFailure } from './command-output';

interface ReportCommandOptions {
  since: string;
  until?: string;
  by?: string;
  route?: string;
  job?: string;
  format?: string;
  json: boolean;
  ledger?: string;
  ledgerTable: string;
  address?: string;
  namespace?: string;
}

/** `cascade report`: cost, escalations, failures and latency of finished cascades, from visibility or the cost ledger. */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'report finished cascades: requests, acceptance at the cheap tier, escalations and their reasons, failures, cascade against flagship-only cost, judge cost, latency p50/p95 per path; read from Temporal visibility, or from the cost ledger with --ledger',
    )
    .option('--since <when>', 'cascades closed since this long ago (30m, 24h, 7d) or this ISO date', '7d')
    .option('--until <when>', 'and before this long ago or this ISO date (default: now)')
    .option('--by <keys>', `group by any of ${reportGroupKeys.join(', ')} (comma-separated)`)
    .option('--route <name>', 'only this route')
    .option('--job <id>', 'only cascades started by this back-fill job')
    .option('--format <format>', `${reportFormats.join(', ')} (default: table)`)
    .option('--json', 'shorthand for --format json', false)
    .addOption(
      new Option(
        '--ledger <url>',
        'read the PostgreSQL cost ledger instead of visibility (postgres://user@host/db; the password comes from PGPASSWORD)',
      ).env(ledgerEnvironment.url),
    )
    .addOption(
      new Option('--ledger-table <name>', 'the ledger table').env(ledgerEnvironment.table).default(defaultLedgerTable),
    )
    .option('--address <host:port>', 'Temporal address (default: $TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <namespace>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE or default)')
    .action(async (options: ReportCommandOptions, command: Command) => {
      const ledgerSource = command.getOptionValueSource('ledger') === 'env' ? ledgerEnvironment.url : '--ledger';
      process.exitCode = await reportCommand(options, { ledgerSource });
    });
}

async function reportCommand(options: ReportCommandOptions, context: { ledgerSource: string }): Promise<number> {
  let format: ReportFormat = options.json ? 'json' : 'table';
  let close: (() => Promise<void>) | undefined;
  try {
    format = formatOf(options);
    const period = reportPeriodOf({ since: options.since, until: options.until, now: new Date() });
    const by = options.by === undefined ? [] : parseGroupKeys(options.by);
    const filters = {
      ...(options.route !== undefined ? { route: options.route } : {}),
      ...(options.job !== undefined ? { backfillJob: options.job } : {}),
    };
    const ledgerUrl = options.ledger?.trim() ? options.ledger.trim() : undefined;
    let reader: CascadeRecordReader;
    let canaries: CanarySummary[] | undefined;
    if (ledgerUrl !== undefined) {
      const ledgerReader = new LedgerRecordReader({
        connectionString: ledgerUrl,
        table: options.ledgerTable,
        source: context.ledgerSource,
      });
      close = () => ledgerReader.close();
      reader = ledgerReader;
    } else {
      const client = await connectTemporalClient({ address: options.address, namespace: options.namespace });
      close = () => client.connection.close();
      reader = new VisibilityRecordReader({ client });
      // Canaries are workflows of their own; back-fill jobs start none.
      if (options.job === undefined)
        canaries = summarizeCanaries(await readCanaries(client, { ...period, ...filters }));
    }
    const cascades = await reader.read({ ...period, ...filters });
    const report: CascadeReport = {
      source: ledgerUrl !== undefined ? 'ledger' : 'visibility',
      ...period,
      ...filters,
      ...buildGroupedReport({ cascades, by }),
      ...(canaries ? { canaries } : {}),
    };
    const output = renderReport(report, format);
    process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return 0;
  } catch (error) {
    const exitCode = reportFailure(error, { json: format === 'json' });
    return ReportInputError.isInstance(error) ? 2 : exitCode;
  } finally {
    await close?.();
  }
}

function formatOf(options: ReportCommandOptions): ReportFormat {
  if (options.format === undefined) return options.json ? 'json' : 'table';
  if (!(reportFormats as readonly string[]).includes(options.format)) {
    throw new ReportInputError({
      message: `--format: expected one of ${reportFormats.join(', ')}, got ${JSON.stringify(options.format)}`,
    });
  }
  if (options.json && options.format !== 'json')
    throw new ReportInputError({
      message: `--json asks for JSON but --format asks for ${options.format}: pass one of them`,
    });
  return options.format as ReportFormat;
}
