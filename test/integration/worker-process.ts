import { NativeConnection } from '@temporalio/worker';
import { parseConfig } from '../../config/load-config';
import { ledgerFromEnvironment } from '../../operations/ledger/ledger-from-environment';
import { createCascadeWorker } from '../../workers/create-worker';
import { installRuntime } from '../../workers/install-runtime';
import { createLogger } from '../../workers/pino-logger';

/**
 * A cascade worker in a process of its own, so a test can kill it with SIGKILL mid-cascade.
 * Settings arrive in the environment; it prints `ready` once it polls.
 */
async function main(): Promise<void> {
  const environment = process.env as Record<string, string>;
  installRuntime(createLogger({ level: 'warn' }));
  const connection = await NativeConnection.connect({ address: environment.CASCADE_TEST_TEMPORAL_ADDRESS });
  // A cost ledger (and its model-call journal) when the test names one in CASCADE_LEDGER_URL.
  const ledger = ledgerFromEnvironment(environment);
  await ledger?.ensureSchema();
  const worker = await createCascadeWorker({
    connection,
    taskQueue: environment.CASCADE_TEST_TASK_QUEUE,
    routes: parseConfig(environment.CASCADE_TEST_ROUTES_YAML ?? ''),
    environment,
    workflowBundle: { codePath: environment.CASCADE_TEST_WORKFLOW_BUNDLE ?? '' },
    ledger,
  });
  const running = worker.run();
  process.stdout.write('ready\n');
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
