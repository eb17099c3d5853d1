import { Option, type Command } from 'commander';
import { requireConfigPath } from '../config/config-path';
import { loadConfig } from '../config/load-config';
import { runWorker } from '../workers/run-worker';
import { createLogger } from '../workers/pino-logger';
import { reportFailure } from './command-output';
import { parseNonNegativeInteger, parsePositiveInteger } from './option-parsers';

interface WorkerCommandOptions {
  config?: string;
  taskQueue: string;
  address?: string;
  namespace?: string;
  maxConcurrentActivities: number;
  maxConcurrentLocalActivities: number;
  maxConcurrentWorkflowTasks: number;
  healthPort?: number;
  metricsPort?: number;
}

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description(
      'run a cascade worker against Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*) until SIGINT or SIGTERM',
    )
    .option('-c, --config <file>', 'routes file (default: $CASCADE_CONFIG or ./cascade.config.yaml)')
    .addOption(new Option('--task-queue <queue>', 'task queue').env('CASCADE_TASK_QUEUE').default('cascade'))
    .option('--address <host:port>', 'Temporal address (overrides TEMPORAL_ADDRESS)')
    .option('--namespace <namespace>', 'Temporal namespace (overrides TEMPORAL_NAMESPACE)')
    .addOption(
      new Option('--max-concurrent-activities <count>', 'model calls in flight')
        .argParser(parsePositiveInteger)
        .env('CASCADE_MAX_CONCURRENT_ACTIVITIES')
        .default(100),
    )
    .addOption(
      new Option('--max-concurrent-local-activities <count>', 'gate evaluations in flight')
        .argParser(parsePositiveInteger)
        .env('CASCADE_MAX_CONCURRENT_LOCAL_ACTIVITIES')
        .default(100),
    )
    .addOption(
      new Option('--max-concurrent-workflow-tasks <count>', 'workflow tasks at once')
        .argParser(parsePositiveInteger)
        .env('CASCADE_MAX_CONCURRENT_WORKFLOW_TASKS')
        .default(40),
    )
    .addOption(
      new Option('--health-port <port>', 'serve GET /healthz on this port (200 while the worker polls)')
        .argParser(parsePositiveInteger)
        .env('CASCADE_HEALTH_PORT'),
    )
    .addOption(
      new Option(
        '--metrics-port <port>',
        "serve Prometheus metrics on this port (GET /metrics: the cascades' and the Core SDK's)",
      )
        .argParser(parseNonNegativeInteger)
        .env('CASCADE_METRICS_PORT'),
    )
    .action(async (options: WorkerCommandOptions) => {
      process.exitCode = await workerCommand(options);
    });
}

async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const logger = createLogger();
  try {
    const configPath = requireConfigPath(options.config);
    await runWorker({
      routes: loadConfig({ path: configPath }),
      logger,
      address: options.address,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities,
      maxConcurrentLocalActivityExecutions: options.maxConcurrentLocalActivities,
      maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTasks,
      healthPort: options.healthPort,
      metricsPort: options.metricsPort,
    });
    return 0;
  } catch (error) {
    logger.error({ err: error }, 'cascade worker failed');
    return reportFailure(error, { json: false });
  }
}
