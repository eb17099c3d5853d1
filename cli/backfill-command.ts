import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { Option, type Command } from 'commander';
import { BackfillClient, InvalidBackfillJobError, type BackfillJobOptions } from '../client/backfill-client';
import { connectTemporalClient } from '../client/connect-temporal';
import type { SourceDescriptor } from '../operations/backfill/sources/source-descriptor';
import { parseSourceArgument } from '../operations/backfill/sources/source-argument';
import { backfillJobIdPattern, backfillWorkflowType, type BackfillProgress } from '../contracts/backfill/backfill-job';
import { resolveConfigPath } from '../config/config-path';
import { loadConfig } from '../config/load-config';
import { VisibilityRecordReader } from '../operations/reporting/visibility-record-reader';
import { formatUsd } from '../contracts/cascade/describe-outcome';
import { printReport, reportFailure } from './command-output';
import { followBackfill } from './backfill-follow';
import { renderBackfillSummary, summarizeBackfill } from './backfill-summary';
import { parsePositiveInteger, parsePositiveNumber } from './option-parsers';

interface ConnectionOptions {
  address?: string;
  namespace?: string;
  taskQueue: string;
  json: boolean;
}

interface StartOptions extends ConnectionOptions {
  source: string;
  route: string;
  concurrency: number;
  rate?: number;
  job?: string;
  pageSize?: number;
  continueAsNewAfter?: number;
  config?: string;
  detach: boolean;
  paused: boolean;
  shadowFlagship: boolean;
}

const connectionOptions = (command: Command): Command =>
  command
    .option('--address <host:port>', 'Temporal address (default: $TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <namespace>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE or default)')
    .option('--task-queue <queue>', 'task queue of the job and its cascades', 'cascade')
    .option('--json', 'print one JSON object', false);

export function registerBackfillCommand(program: Command): void {
  const backfill = connectionOptions(
    program
      .command('backfill')
      .description(
        'drain a queue of requests (a JSONL file or a PostgreSQL table) through cascades, as one durable job',
      )
      .option(
        '--source <file|postgres-url>',
        'a JSONL file of requests, or postgres://user@host:port/db?table=queued_requests',
      )
      .option('-r, --route <route>', 'the route every request runs on')
      .addOption(
        new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger).default(8),
      )
      .addOption(
        new Option('--rate <per-second>', 'cascades started per second at most').argParser(parsePositiveNumber),
      )
      .option(
        '--job <name>',
        'the job name (default: from the route and the source, so the same command joins or resumes the same job)',
      )
      .addOption(
        new Option('--page-size <count>', 'requests read from the source at a time').argParser(parsePositiveInteger),
      )
      .addOption(
        new Option('--continue-as-new-after <count>', 'cascades per run before the job continues as new').argParser(
          parsePositiveInteger,
        ),
      )
      .option(
        '-c, --config <file>',
        'routes file (default: $CASCADE_CONFIG or ./cascade.config.yaml); checks the route before starting',
      )
      .option('--paused', 'start paused (resume with `cascade backfill resume JOB`)', false)
      .option(
        '--shadow-flagship',
        'also ask the flagship for accepted requests, for evaluation (a flagship call each)',
        false,
      )
      .option('-d, --detach', 'start the job and return; follow it with `cascade backfill status JOB`', false),
  )
    // `backfill status JOB --address A`: the subcommand's options, not the start command's (needs the
    // program's positional options too).
    .enablePositionalOptions()
    .action(async (options: StartOptions) => {
      process.exitCode = await startCommand(options);
    });

  connectionOptions(
    backfill.command('status').description("a job's progress, or its summary once it has ended").argument('<job>'),
  )
    .option('-w, --watch', 'follow the job with a progress bar until it ends', false)
    .action(async (job: string, options: ConnectionOptions & { watch: boolean }) => {
      process.exitCode = await withClient(options, async (client) => {
        if (options.watch) return followAndSummarize(client, job, options);
        const progress = await client.progress(job);
        printReport({ json: options.json, report: progress, text: () => describeProgress(progress) });
        return 0;
      });
    });

  for (const [name, description] of [
    ['pause', 'stop starting new cascades; those in flight finish'],
    ['resume', 'start cascades again after a pause'],
    ['cancel', 'end the job: no new cascades; those in flight finish and are counted'],
  ] as const) {
    connectionOptions(backfill.command(name).description(description).argument('<job>')).action(
      async (job: string, options: ConnectionOptions) => {
        process.exitCode = await withClient(options, async (client) => {
          const progress = await client[name](job);
          printReport({ json: options.json, report: progress, text: () => describeProgress(progress) });
          return 0;
        });
      },
    );
  }

  connectionOptions(
    backfill
      .command('retry')
      .description("run a finished job's failed requests again, as a job of their own")
      .argument('<job>'),
  )
    .addOption(new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger))
    .addOption(new Option('--rate <per-second>', 'cascades started per second at most').argParser(parsePositiveNumber))
    .option('-d, --detach', 'start the retry and return', false)
    .action(
      async (job: string, options: ConnectionOptions & { concurrency?: number; rate?: number; detach: boolean }) => {
        process.exitCode = await withClient(options, async (client) => {
          const started = await client.retryFailures(job, {
            ...(options.concurrency ? { concurrency: options.concurrency } : {}),
            ...(options.rate ? { ratePerSecond: options.rate } : {}),
          });
          if (options.detach) {
            printReport({
              json: options.json,
              report: started,
              text: () => `started ${started.jobId}: ${started.requests} failed requests of ${job}`,
            });
            return 0;
          }
          process.stderr.write(`retrying ${started.requests} failed requests of ${job} as job ${started.jobId}\n`);
          return followAndSummarize(client, started.jobId, options);
        });
      },
    );

  connectionOptions(backfill.command('list').description('back-fill jobs, newest first')).action(
    async (options: ConnectionOptions) => {
      process.exitCode = await withClient(options, async (client) => {
        const jobs: Array<{ job: string; status: string; startTime: string; closeTime?: string }> = [];
        for await (const execution of client.temporal.workflow.list({
          query: `WorkflowType = '${backfillWorkflowType}'`,
        })) {
          jobs.push({
            job: execution.workflowId.replace(/^backfill-/, ''),
            status: execution.status.name.toLowerCase(),
            startTime: execution.startTime.toISOString(),
            ...(execution.closeTime ? { closeTime: execution.closeTime.toISOString() } : {}),
          });
        }
        printReport({
          json: options.json,
          report: { jobs },
          text: () =>
            jobs.length === 0
              ? 'no back-fill jobs'
              : jobs.map((job) => `${job.job}  ${job.status}  started ${job.startTime}`).join('\n'),
        });
        return 0;
      });
    },
  );
}

async function startCommand(options: StartOptions): Promise<number> {
  return withClient(
    options,
    async (client) => {
      if (!options.source)
        throw new InvalidBackfillJobError({
          message: '--source is required: a JSONL file of requests or a postgres:// URL',
        });
      if (!options.route)
        throw new InvalidBackfillJobError({ message: '--route is required: the route every request runs on' });
      const source = parseSourceArgument(options.source);
      const jobId = options.job ?? defaultJobName(options.route, source);
      const job: BackfillJobOptions = {
        jobId,
        source,
        route: options.route,
        concurrency: options.concurrency,
        ...(options.rate ? { ratePerSecond: options.rate } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        ...(options.continueAsNewAfter ? { continueAsNewAfter: options.continueAsNewAfter } : {}),
        ...(options.paused ? { startPaused: true } : {}),
        ...(options.shadowFlagship ? { shadowFlagship: true } : {}),
      };
      const started = await client.start(job);
      if (options.detach) {
        printReport({
          json: options.json,
          report: started,
          text: () =>
            `${started.existing ? 'already running' : 'started'}: job ${jobId} (workflow ${started.workflowId})\nfollow it with: cascade backfill status ${jobId} --watch`,
        });
        return 0;
      }
      process.stderr.write(
        `${started.existing ? 'joined the running' : 'started'} job ${jobId} (workflow ${started.workflowId}); Ctrl-C detaches, the job goes on\n`,
      );
      return followAndSummarize(client, jobId, options);
    },
    options.config,
  );
}

/** Follows the job with a progress bar; at its end prints the summary table (or, on Ctrl-C, how to follow it). */
async function followAndSummarize(client: BackfillClient, jobId: string, options: { json: boolean }): Promise<number> {
  const followed = await followBackfill({ client, jobId });
  if (followed.detached) {
    process.stderr.write(
      `\ndetached: job ${jobId} goes on. Follow it with: cascade backfill status ${jobId} --watch\n`,
    );
    return 0;
  }
  const summary = await summarizeBackfill({
    progress: followed.progress,
    reader: new VisibilityRecordReader({ client: client.temporal }),
  });
  printReport({ json: options.json, report: summary, text: () => renderBackfillSummary(summary) });
  return 0;
}

/**
 * The job name a source and route give when none is named: the same command joins the running job,
 * or runs the finished one again without paying twice.
 */
export function defaultJobName(route: string, source: SourceDescriptor): string {
  const place = source.kind === 'jsonl' ? basename(source.path, extname(source.path)) : source.table;
  const digest = createHash('sha256')
    .update(JSON.stringify([route, source]))
    .digest('hex')
    .slice(0, 8);
  const name = `${route}-${place}`
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 80);
  const candidate = `${name}-${digest}`;
  return backfillJobIdPattern.test(candidate) ? candidate : `job-${digest}`;
}

async function withClient(
  options: ConnectionOptions,
  action: (client: BackfillClient) => Promise<number>,
  config?: string,
): Promise<number> {
  let client: BackfillClient | undefined;
  try {
    const configPath = resolveConfigPath(config);
    const routes = configPath ? loadConfig({ path: configPath }) : undefined;
    client = new BackfillClient({ client: await connectTemporalClient(options), routes, taskQueue: options.taskQueue });
    return await action(client);
  } catch (error) {
    return reportFailure(error, { json: options.json });
  } finally {
    await client?.temporal.connection.close();
  }
}

function describeProgress(progress: BackfillProgress): string {
  const counters = progress.counters;
  const total = progress.total !== undefined ? ` of ${progress.total}` : '';
  const lines = [
    `job ${progress.jobId} · route ${progress.route} · ${progress.status}`,
    `${counters.done}${total} done · ${counters.accepted} accepted · ${counters.escalated} escalated · ${counters.failed} failed · ${progress.inFlight} in flight (of ${progress.concurrency})`,
    `cost ${formatUsd(counters.costUsd)} · flagship-only ${formatUsd(counters.flagshipOnlyUsd)} · started ${progress.startedAt} · run ${progress.runs}`,
  ];
  if (progress.failures.length > 0) {
    lines.push(
      'failed requests:',
      ...progress.failures.slice(0, 20).map((failure) => `  ${failure.requestId}  ${failure.type}  ${failure.reason}`),
    );
    if (progress.failures.length > 20) lines.push(`  … ${progress.failures.length - 20} more (--json lists them all)`);
  }
  return lines.join('\n');
}
