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

export interface FloorStack {
  address: string;
  devServerPid: number | undefined;
  /** Runs one floor workflow to its end. */
  runFloor(workflowId: string, options?: FloorWorkflowOptions): Promise<void>;
  cascades: CascadeClient;
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
    const cascadeWorker = await createCascadeWorker({
      connection: workerConnection,
      routes: options.routes,
      environment: options.workerEnvironment,
      workflowBundle: { code: options.cascadeBundleCode },
      logger: options.logger,
      shutdownGraceTime: '5 seconds',
      ...workerConcurrency,
    });
    const cascadeBackground = runInBackground(cascadeWorker);
    cleanups.push(() => cascadeBackground.stop());

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
      temporal,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
