import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { searchAttributeDefinitions } from '../../contracts/search-attributes';
import { findOrBuildTemporalBinary } from '../../local-stack/dev-server/temporal-binary';
import { startDevServer, type DevServer } from '../../local-stack/dev-server/dev-server';
import { workflowBundleOptions } from '../../workers/workflow-bundle-options';
import { integrationEnvironment } from './integration-environment';

/**
 * Starts one real Temporal dev server (fresh SQLite file, free ports) for the integration tests and
 * bundles the workflow code once, so each test's workers start in well under a second.
 */
export default async function globalSetup(): Promise<void> {
  const workDirectory = mkdtempSync(join(tmpdir(), 'cascade-integration-'));
  const binaryPath = await findOrBuildTemporalBinary({
    onProgress: (line) => process.stderr.write(`[temporal build] ${line}\n`),
  });
  const server: DevServer = await startDevServer({
    binaryPath,
    port: 0,
    uiPort: 0,
    headless: true,
    dbFilename: join(workDirectory, 'temporal.sqlite'),
    searchAttributes: searchAttributeDefinitions(),
  });
  (globalThis as { cascadeDevServer?: DevServer }).cascadeDevServer = server;

  const bundle = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger });
  const bundlePath = join(workDirectory, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);

  process.env[integrationEnvironment.temporalAddress] = server.address;
  process.env[integrationEnvironment.workflowBundle] = bundlePath;
  process.env[integrationEnvironment.workDirectory] = workDirectory;
}

const silent = () => undefined;
const quietLogger = { log: silent, trace: silent, debug: silent, info: silent, warn: silent, error: silent };
