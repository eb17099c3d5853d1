import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { BackfillClient } from '../../client/backfill-client';
import { CascadeClient } from '../../client/cascade-client';
import { parseConfig } from '../../config/load-config';
import { resolveTemporal } from '../../local-stack/dev-server/resolve-temporal';
import { createModelServer, type ModelServer } from '../../local-stack/model-server/model-server';
import { runInBackground } from '../../workers/background-worker';
import { createCascadeWorker } from '../../workers/create-worker';
import { installRuntime } from '../../workers/install-runtime';
import { createLogger } from '../../workers/pino-logger';
import { findProcessId } from './process-cpu';
import { throughputModels, throughputRoutesYaml } from './throughput-models';

const apiKeyVariable = 'CASCADE_THROUGHPUT_MODEL_API_KEY';

/** The concurrency settings the benchmark's worker runs with (the `createCascadeWorker` defaults). */
export const workerConcurrency = {
  maxConcurrentActivityTaskExecutions: 100,
  maxConcurrentLocalActivityExecutions: 100,
  maxConcurrentWorkflowTaskExecutions: 40,
} as const;

export interface ThroughputStack {
  client: CascadeClient;
  /** Back-fill jobs on the same task queue: the worker runs the job and its cascades. */
  backfill: BackfillClient;
  modelServer: ModelServer;
  /** The model server's base URL (`http://127.0.0.1:PORT/v1`). */
  modelServerUrl: string;
  /** The dev server's pid, found by its db file name; undefined when not found. */
  devServerPid: number | undefined;
  address: string;
  stop(): Promise<void>;
}

/**
 * A private stack: a dev server on free ports with a temporary SQLite file, a model server of scripted
 * models, one in-process worker and a client. Nothing is shared with another Temporal.
 */
export async function startThroughputStack(): Promise<ThroughputStack> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn' });
  installRuntime(logger);
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => logger.warn({ error: String(error) }, 'cleanup failed'));
  };
  try {
    const apiKey = randomBytes(16).toString('hex');
    const modelServer = createModelServer({ models: throughputModels(), apiKey, callLogLimit: 10 });
    const started = await modelServer.start({ port: 0 });
    cleanups.push(() => modelServer.stop());
    const routes = parseConfig(throughputRoutesYaml({ modelServerUrl: started.url, apiKeyVariable }), {
      source: 'throughput routes',
    });

    const directory = mkdtempSync(join(tmpdir(), 'cascade-throughput-'));
    cleanups.push(async () => rmSync(directory, { recursive: true, force: true }));
    const dbFilename = join(directory, `throughput-${randomBytes(4).toString('hex')}.sqlite`);
    const environment = { ...process.env };
    delete environment.TEMPORAL_ADDRESS;
    const temporal = await resolveTemporal({
      environment,
      port: 0,
      uiPort: 0,
      headless: true,
      dbFilename,
      log: logger,
    });
    cleanups.push(() => temporal.stop());

    const workerConnection = await NativeConnection.connect({ address: temporal.address });
    cleanups.push(() => workerConnection.close());
    const worker: Worker = await createCascadeWorker({
      connection: workerConnection,
      namespace: temporal.namespace,
      routes,
      environment: { [apiKeyVariable]: apiKey },
      logger,
      shutdownGraceTime: '5 seconds',
      ...workerConcurrency,
    });
    const background = runInBackground(worker);
    cleanups.push(() => background.stop());

    const client = await CascadeClient.connect({ address: temporal.address, namespace: temporal.namespace, routes });
    cleanups.push(() => client.close());
    return {
      client,
      backfill: new BackfillClient({ client: client.temporal, routes }),
      modelServer,
      modelServerUrl: started.url,
      devServerPid: findProcessId(dbFilename),
      address: temporal.address,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
