import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type pino from 'pino';
import { CascadeClient } from '../../client/cascade-client';
import { searchAttributeDefinitions } from '../../contracts/search-attributes';
import type { RouteCatalog } from '../../config/route-catalog';
import { startDevServer } from '../../local-stack/dev-server/dev-server';
import { runInBackground } from '../../workers/background-worker';
import { createCascadeWorker } from '../../workers/create-worker';
import { findProcessId } from '../throughput/process-cpu';
import { workerConcurrency } from '../throughput/throughput-stack';
import * as floorActivities from './floor-activities';
import type { FloorWorkflowOptions, floorWorkflow } from './floor-workflow';

const floorTaskQueue = 'floor';
const comparisonTaskQueue = 'cascade-comparison';

export interface FloorStack {
  address: string;
  devServerPid: number | undefined;
  /** Runs one floor workflow to its end. */
  runFloor(workflowId: string, options?: FloorWorkflowOptions): Promise<void>;
  cascades: CascadeClient;
  /** With `comparisonCascadeBundleCode`: cascades on a worker running that bundle instead. */
  comparisonCascades: CascadeClient | undefined;
  temporal: Client;
  stop(): Promise<void>;
}

/**
 * One dev server (fresh SQLite file, given pragmas) with two workers on it, configured alike: one for
 * the floor workflow, one for cascades. Workflow code comes prebuilt, so each server starts in seconds.
 */
export async function startFloorStack(options: {
  binaryPath: string;
  directory: string;
  sqlitePragmas: Record<string, string>;
  floorBundleCode: string;
  cascadeBundleCode: string;
  /** A second build of the cascade's workflow code, run by a worker of its own beside the first. */
  comparisonCascadeBundleCode?: string;
  routes: RouteCatalog;
  workerEnvironment: Record<string, string>;
  logger: pino.Logger;
}): Promise<FloorStack> {
  const cleanups: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error: unknown) => options.logger.warn({ error: String(error) }, 'cleanup failed'));
  };
  try {
    const dbFilename = join(options.directory, `floor-${randomBytes(4).toString('hex')}.sqlite`);
    const server = await startDevServer({
      binaryPath: options.binaryPath,
      port: 0,
      headless: true,
      dbFilename,
      sqlitePragmas: options.sqlitePragmas,
      searchAttributes: searchAttributeDefinitions(),
      log: options.logger,
    });
    cleanups.push(() => server.stop());

    const workerConnection = await NativeConnection.connect({ address: server.address });
    cleanups.push(() => workerConnection.close());
    const floorWorker = await Worker.create({
      connection: workerConnection,
      taskQueue: floorTaskQueue,
      workflowBundle: { code: options.floorBundleCode },
      activities: floorActivities,
      shutdownGraceTime: '5 seconds',
      ...workerConcurrency,
    });
    const floorBackground = runInBackground(floorWorker);
    cleanups.push(() => floorBackground.stop());
    // One cascade worker per bundle, each on its own task queue and otherwise alike.
    const startCascadeWorker = async (taskQueue: string | undefined, code: string) => {
      const worker = await createCascadeWorker({
        connection: workerConnection,
        ...(taskQueue === undefined ? {} : { taskQueue }),
        routes: options.routes,
        environment: options.workerEnvironment,
        workflowBundle: { code },
        logger: options.logger,
        shutdownGraceTime: '5 seconds',
        ...workerConcurrency,
      });
      const background = runInBackground(worker);
      cleanups.push(() => background.stop());
    };
    await startCascadeWorker(undefined, options.cascadeBundleCode);
    if (options.comparisonCascadeBundleCode !== undefined)
      await startCascadeWorker(comparisonTaskQueue, options.comparisonCascadeBundleCode);

    const connection = await Connection.connect({ address: server.address });
    cleanups.push(() => connection.close());
    const temporal = new Client({ connection });
    return {
      address: server.address,
      devServerPid: findProcessId(dbFilename),
      runFloor: (workflowId, workflowOptions = {}) =>
        temporal.workflow.execute<typeof floorWorkflow>('floorWorkflow', {
          taskQueue: floorTaskQueue,
          workflowId,
          args: [workflowOptions],
        }),
      cascades: new CascadeClient({ client: temporal, routes: options.routes }),
      comparisonCascades:
        options.comparisonCascadeBundleCode === undefined
          ? undefined
          : new CascadeClient({ client: temporal, routes: options.routes, taskQueue: comparisonTaskQueue }),
      temporal,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
