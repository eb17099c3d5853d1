import { randomUUID } from 'node:crypto';
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { connectTemporalClient } from '../client/connect-temporal';
import {
  escalationDriftCheckWorkflowType,
  type EscalationDriftCheckInput,
  type EscalationDriftCheckResult,
} from '../contracts/drift/drift-check';
import { resolveConfigPath } from '../config/config-path';
import { loadConfig } from '../config/load-config';
import { DriftCheckFailedError } from '../client/drift-check-failed-error';
import {
  deleteDriftSchedule,
  describeDriftSchedule,
  driftScheduleIdOf,
  listDriftSchedules,
  upsertDriftSchedule,
} from '../client/drift-schedules';
import { InvalidDriftCheckError } from '../operations/drift/invalid-drift-check-error';
import type { escalationDriftCheck } from '../workflows/escalation-drift-check';
import { printReport, reportFailure } from './command-output';
import { describeCheckResult, describeSchedule, renderScheduleTable } from './drift-output';
import { driftCheckOfFlags, parseDurationFlag, type DriftThresholdFlags } from './drift-options';

interface ConnectionFlags {
  config?: string;
  address?: string;
  namespace?: string;
  taskQueue: string;
  json: boolean;
}

type ThresholdFlags = Partial<DriftThresholdFlags> & Pick<DriftThresholdFlags, 'window'>;

/**
 * `cascade drift schedule | check | list | delete`: escalation-drift checks of routes, run by Temporal
 * schedules (`cascade-drift-<route>`) or once. Bad flags exit with code 2.
 */
export function registerDriftCommand(program: Command): void {
  const drift = program
    .command('drift')
    .description(
      "escalation-rate drift checks: compare each route's recent escalation rate (and cost against flagship-only) with its baseline, on a Temporal schedule",
    );

  withConnectionOptions(
    withThresholdOptions(
      drift
        .command('schedule')
        .description("create or update the schedule of a route's drift check (id cascade-drift-<route>)"),
    ),
  )
    .option('--every <duration>', 'how often the check runs', '1h')
    .action(async (flags: ConnectionFlags & ThresholdFlags & { every: string }) => {
      process.exitCode = await withTemporal(flags, async (connect) => {
        const check = checkOfFlags(flags);
        const everyMs = parseDurationFlag(flags.every, '--every');
        const client = await connect();
        const result = await upsertDriftSchedule(client, { check, everyMs, taskQueue: flags.taskQueue });
        const info = await describeDriftSchedule(client, check.route);
        const report = { ...result, everyMs, taskQueue: flags.taskQueue, check, paused: info?.paused ?? false };
        printReport({ json: flags.json, report, text: () => describeSchedule(report) });
      });
    });

  withConnectionOptions(
    withThresholdOptions(
      drift
        .command('check')
        .description(
          "run a route's drift check once, now, and print the evaluation (it alerts as a scheduled check would)",
        ),
    ),
  ).action(async (flags: ConnectionFlags & ThresholdFlags) => {
    process.exitCode = await withTemporal(flags, async (connect) => {
      const check = checkOfFlags(flags);
      const result = await runCheck(await connect(), { check, taskQueue: flags.taskQueue, json: flags.json });
      printReport({ json: flags.json, report: result, text: () => describeCheckResult(result) });
    });
  });

  withConnectionOptions(drift.command('list').description('list the drift schedules of the namespace')).action(
    async (flags: ConnectionFlags) => {
      process.exitCode = await withTemporal(flags, async (connect) => {
        const schedules = await listDriftSchedules(await connect());
        printReport({
          json: flags.json,
          report: { schedules },
          text: () => (schedules.length === 0 ? 'no drift schedules' : renderScheduleTable(schedules)),
        });
      });
    },
  );

  withConnectionOptions(
    drift.command('delete').description("delete a route's drift schedule (a check already running finishes)"),
  )
    .option('-r, --route <route>', 'route name (required)')
    .action(async (flags: ConnectionFlags & { route?: string }) => {
      process.exitCode = await withTemporal(flags, async (connect) => {
        const route = required(flags.route, '--route');
        const result = await deleteDriftSchedule(await connect(), route);
        printReport({
          json: flags.json,
          report: result,
          text: () =>
            result.deleted
              ? `deleted schedule ${result.scheduleId}`
              : `no drift schedule for route ${route} (${driftScheduleIdOf(route)}); nothing deleted`,
        });
      });
    });
}

function withThresholdOptions(command: Command): Command {
  return command
    .option('-r, --route <route>', 'route name (required)')
    .option('--baseline <rate>', 'the expected escalation rate, 0.2 or 20% (required)')
    .option(
      '--max-drift-points <points>',
      'alert when the rate moves more than this many percentage points either way (required)',
    )
    .option(
      '--max-cost-share <share>',
      'alert when the cascade costs more than this share of flagship-only, 0.8 or 80%',
    )
    .option(
      '--min-canary-agreement <share>',
      "alert when the flagship agrees with less than this share of the canary's comparisons, 0.9 or 90%",
    )
    .option('--window <duration>', 'the cascades measured: those closed in this window before the check', '24h')
    .option('--min-requests <count>', 'answered cascades needed before the window is judged', '30');
}

function withConnectionOptions(command: Command): Command {
  return command
    .option(
      '-c, --config <file>',
      'routes file (default: $CASCADE_CONFIG or ./cascade.config.yaml); checks the route when present',
    )
    .option('--address <host:port>', 'Temporal address (default: $TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <namespace>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE or default)')
    .addOption(
      new Option('--task-queue <queue>', 'task queue of the cascade workers that run the checks')
        .env('CASCADE_TASK_QUEUE')
        .default('cascade'),
    )
    .option('--json', 'print one JSON object', false);
}

/**
 * Runs a subcommand, which checks its flags before it calls `connect` (so a typo is reported without
 * waiting on Temporal), and closes the connection; returns the exit code (2 for bad flags).
 */
async function withTemporal(
  flags: ConnectionFlags,
  action: (connect: () => Promise<Client>) => Promise<void>,
): Promise<number> {
  let client: Client | undefined;
  const connect = async (): Promise<Client> => {
    client = await connectTemporalClient({ address: flags.address, namespace: flags.namespace });
    return client;
  };
  try {
    await action(connect);
    return 0;
  } catch (error) {
    return reportFailure(error, { json: flags.json });
  } finally {
    await client?.connection.close();
  }
}

/** The check the flags describe; with a routes file at hand, a route it lacks is refused (`UnknownRoute`), not measured as empty forever. */
function checkOfFlags(flags: ThresholdFlags & Pick<ConnectionFlags, 'config'>): EscalationDriftCheckInput {
  const check = driftCheckOfFlags({
    route: required(flags.route, '--route'),
    baseline: required(flags.baseline, '--baseline'),
    maxDriftPoints: required(flags.maxDriftPoints, '--max-drift-points'),
    maxCostShare: flags.maxCostShare,
    minCanaryAgreement: flags.minCanaryAgreement,
    window: flags.window,
    minRequests: flags.minRequests,
  });
  const configPath = resolveConfigPath(flags.config);
  if (configPath) loadConfig({ path: configPath }).get(check.route);
  return check;
}

async function runCheck(
  client: Client,
  options: { check: EscalationDriftCheckInput; taskQueue: string; json: boolean },
): Promise<EscalationDriftCheckResult & { workflowId: string }> {
  const workflowId = `${driftScheduleIdOf(options.check.route)}-check-${randomUUID()}`;
  if (!options.json) process.stderr.write(`running drift check ${workflowId} on task queue ${options.taskQueue}…\n`);
  try {
    const result = await client.workflow.execute<typeof escalationDriftCheck>(escalationDriftCheckWorkflowType, {
      taskQueue: options.taskQueue,
      workflowId,
      args: [options.check],
      workflowExecutionTimeout: '30 minutes',
      staticSummary: `escalation drift · ${options.check.route} · run once`,
    });
    return { ...result, workflowId };
  } catch (error) {
    if (error instanceof WorkflowFailedError) throw DriftCheckFailedError.fromWorkflowFailure(workflowId, error.cause);
    throw error;
  }
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '')
    throw new InvalidDriftCheckError({ message: `invalid drift check: ${flag} is required` });
  return value;
}
