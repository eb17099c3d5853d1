import type { Logger } from 'pino';
import { searchAttributeDefinitions } from '../../contracts/search-attributes';
import type { ProgressTerminal } from './build-progress';
import { resolveCacheDirectory } from './cache-directory';
import { startDevServer } from './dev-server';
import { ensureSearchAttributes, type SearchAttributeDefinition } from './search-attribute-registration';
import { probeTemporalServer } from './server-readiness';
import { findOrBuildTemporalBinary } from './temporal-binary';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

export interface ResolveTemporalOptions {
  /** Read for TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_UI_URL, TEMPORAL_CLI_PATH, PATH and the cache. @default process.env */
  environment?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Lines of go's output if the CLI has to be built. */
  onProgress?: (line: string) => void;
  /** Build spinner / heartbeat target. @default process.stderr */
  terminal?: ProgressTerminal;
  /** @default TEMPORAL_NAMESPACE, else 'default' */
  namespace?: string;
  /** @default searchAttributeDefinitions() (the cascade's) */
  searchAttributes?: readonly SearchAttributeDefinition[];
  /** Dev server only: gRPC port (0 = free). @default 7233 */
  port?: number;
  /** Dev server only. @default port + 1000, or free */
  uiPort?: number;
  /** Dev server only. @default false */
  headless?: boolean;
  /** Dev server only: the Web UI's remote codec endpoint. @default none */
  uiCodecEndpoint?: string;
  /** Dev server only. @default `<cache>/dev-server/temporal-<port>.sqlite` */
  dbFilename?: string;
  /** Dev server only: use a Temporal server already on the port. @default false */
  reuseExisting?: boolean;
  /** Dev server only. @default 'warn' */
  logLevel?: string;
  /** How long a server at TEMPORAL_ADDRESS has to answer. @default 5000 */
  connectTimeoutMs?: number;
}

export interface ResolvedTemporal {
  address: string;
  namespace: string;
  uiUrl: string | undefined;
  /** True when this call started a dev server (which stop() stops). */
  startedDevServer: boolean;
  /** True when a dev server already answered on the port and was used as it is (not one named by TEMPORAL_ADDRESS). */
  reusedDevServer: boolean;
  /** The dev server's log file, when one was started. */
  logFile: string | undefined;
  /** Stops the dev server if this call started one; otherwise does nothing. */
  stop(): Promise<void>;
}

/**
 * Where the CLI, worker and demo find Temporal. If `TEMPORAL_ADDRESS` is set, checks that server answers
 * and registers missing search attributes (no server is started). Otherwise finds or builds the Temporal
 * CLI and starts a dev server on loopback.
 */
export async function resolveTemporal(options: ResolveTemporalOptions = {}): Promise<ResolvedTemporal> {
  const environment = options.environment ?? process.env;
  const namespace = options.namespace ?? environment.TEMPORAL_NAMESPACE ?? 'default';
  const definitions = options.searchAttributes ?? searchAttributeDefinitions();

  const address = environment.TEMPORAL_ADDRESS;
  if (address) {
    await checkExistingServer({
      address,
      namespace,
      definitions,
      log: options.log,
      timeoutMs: options.connectTimeoutMs ?? 5000,
    });
    return {
      address,
      namespace,
      uiUrl: environment.TEMPORAL_UI_URL || undefined,
      startedDevServer: false,
      reusedDevServer: false,
      logFile: undefined,
      stop: async () => undefined,
    };
  }

  const binaryPath = await findOrBuildTemporalBinary({
    environment,
    log: options.log,
    onProgress: options.onProgress,
    terminal: options.terminal,
  });
  const server = await startDevServer({
    binaryPath,
    namespace,
    searchAttributes: definitions,
    port: options.port,
    uiPort: options.uiPort,
    headless: options.headless,
    uiCodecEndpoint: options.uiCodecEndpoint,
    dbFilename: options.dbFilename,
    reuseExisting: options.reuseExisting,
    logLevel: options.logLevel,
    log: options.log,
    cacheDirectory: resolveCacheDirectory(environment),
  });
  return {
    address: server.address,
    namespace,
    uiUrl: server.uiUrl,
    startedDevServer: !server.reused,
    reusedDevServer: server.reused,
    logFile: server.logFile,
    stop: () => server.stop(),
  };
}

async function checkExistingServer(options: {
  address: string;
  namespace: string;
  definitions: readonly SearchAttributeDefinition[];
  log?: Logger;
  timeoutMs: number;
}): Promise<void> {
  const probe = await probeTemporalServer(options.address, options.timeoutMs);
  if (!probe.connection) {
    throw new TemporalSetupError({
      type: temporalSetupErrorTypes.serverUnreachable,
      message: `TEMPORAL_ADDRESS=${options.address} does not answer (${probe.problem}). Start it (e.g. \`docker compose up -d temporal\`), or unset TEMPORAL_ADDRESS to run a local dev server.`,
    });
  }
  try {
    const added = await ensureSearchAttributes(probe.connection, options.namespace, options.definitions);
    if (added.length > 0)
      options.log?.info({ added, address: options.address }, 'registered missing search attributes');
  } finally {
    await probe.connection.close();
  }
}
