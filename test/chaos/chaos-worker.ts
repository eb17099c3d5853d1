import { parseConfig } from '../../config/load-config';
import { createLogger } from '../../workers/pino-logger';
import { runWorker } from '../../workers/run-worker';

/**
 * A cascade worker in a process of its own, as `cascade worker` runs one, so the chaos run can kill it
 * with SIGKILL. Its settings arrive in the environment (TEMPORAL_ADDRESS, CASCADE_LEDGER_URL, the model
 * server's key); it logs `cascade worker started` once it polls.
 */
async function main(): Promise<void> {
  const environment = process.env;
  await runWorker({
    routes: parseConfig(environment.CASCADE_CHAOS_ROUTES_YAML ?? '', { environment: {} }),
    logger: createLogger({ level: 'info' }),
    taskQueue: environment.CASCADE_CHAOS_TASK_QUEUE,
    workflowBundle: { codePath: environment.CASCADE_CHAOS_WORKFLOW_BUNDLE ?? '' },
    maxConcurrentActivityTaskExecutions: 200,
    shutdownGraceTime: '1 second',
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
