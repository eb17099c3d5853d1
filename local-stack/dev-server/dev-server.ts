import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import { cachePaths, resolveCacheDirectory } from './cache-directory';
import { isPortAcceptingConnections, pickFreePort } from '../../http/free-port';
import { ensureSearchAttributes, type SearchAttributeDefinition } from './search-attribute-registration';
import { probeTemporalServer, waitForTemporalServer } from './server-readiness';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

const host = '127.0.0.1';

/** The SQLite settings of every dev server this project starts: write-ahead logging, fsync at checkpoints. */
export const defaultSqlitePragmas: Readonly<Record<string, string>> = Object.freeze({
  journal_mode: 'wal',
  synchronous: 'normal',
});

export interface StartDevServerOptions {
  /** Path of the Temporal CLI (see `findOrBuildTemporalBinary`). */
  binaryPath: string;
  /** gRPC port of the frontend. 0 picks a free port. @default 7233 */
  port?: number;
  /** Web UI port. @default port + 1000, or a free port if that one is taken */
  uiPort?: number;
  /** Run without the Web UI. @default false */
  headless?: boolean;
  /** The Web UI's remote codec endpoint, which decodes encrypted payloads for it. @default none */
  uiCodecEndpoint?: string;
  /**
   * SQLite file, so workflows and namespaces survive a restart. One file per port, so two servers on
   * different ports never share one (SQLite would make the second fail with SQLITE_BUSY).
   * @default `<cache>/dev-server/temporal-<port>.sqlite`
   */
  dbFilename?: string;
  /**
   * `--sqlite-pragma` settings of the server's SQLite file. Write-ahead logging with `synchronous=normal`
   * roughly doubles the dev server's throughput and still survives a killed process (only an OS crash
   * can lose the last commits). `{}` keeps SQLite's rollback journal.
   * @default defaultSqlitePragmas (`journal_mode=wal`, `synchronous=normal`)
   */
  sqlitePragmas?: Readonly<Record<string, string>>;
  /** Namespace created at start (besides `default`, which always exists). @default 'default' */
  namespace?: string;
  /** Custom search attributes registered on the namespace (also on an existing SQLite file). */
  searchAttributes: readonly SearchAttributeDefinition[];
  /**
   * If a Temporal server already answers on the port, use it (and register missing search attributes)
   * instead of failing. @default false
   */
  reuseExisting?: boolean;
  log?: Logger;
  /** The server's own log level: debug, info, warn, error, never. @default 'warn' */
  logLevel?: string;
  /**
   * Where the server's stdout and stderr go (appended).
   * @default `temporal-<port>.log` beside `dbFilename` if given, else in `<cache>/dev-server/`
   */
  logFile?: string;
  /** Base of the default paths. @default TEMPORAL_CASCADE_CACHE or `${XDG_CACHE_HOME:-~/.cache}/temporal-cascade` */
  cacheDirectory?: string;
  /** How long to wait for the server to answer; a new SQLite file takes a few seconds. @default 60_000 */
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. @default 10_000 */
  stopTimeoutMs?: number;
  /**
   * How many times to start the server when it exits during start-up. The CLI picks its internal ports
   * itself, and another process can take one of them before it binds; a new start picks new ones.
   * @default 3
   */
  startAttempts?: number;
}

export interface DevServer {
  /** `127.0.0.1:<port>`, for `Connection.connect({ address })`. */
  address: string;
  namespace: string;
  /** Web UI, unless headless. For a reused server, its port + 1000 (or `uiPort`) if that answers HTTP. */
  uiUrl: string | undefined;
  /** The server's log file; undefined when reused. */
  logFile: string | undefined;
  /** The `temporal server start-dev` process; undefined when an existing server was reused. */
  process: ChildProcess | undefined;
  /** True when `reuseExisting` found a server already running; stop() then leaves it running. */
  reused: boolean;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`. Resolves once the process has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` on loopback with a SQLite file, waits until it answers and the
 * namespace and search attributes are listed, and returns how to reach it. Fails with
 * `TemporalPortInUse` if the port is taken (unless `reuseExisting` and it is a Temporal server), and with
 * `TemporalDevServerFailed` (quoting the end of the server's log) if it exits or does not answer in time.
 */
export async function startDevServer(options: StartDevServerOptions): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  const cacheDirectory = options.cacheDirectory ?? resolveCacheDirectory(process.env);
  const attempts = Math.max(1, options.startAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    const requestedPort = options.port ?? 7233;
    const port = requestedPort === 0 ? await pickFreePort(host) : requestedPort;
    const address = `${host}:${port}`;
    if (await isPortAcceptingConnections(host, port)) {
      return reuseOrRefuse({ ...options, address, namespace });
    }
    try {
      return await launch({ ...options, namespace, cacheDirectory, port });
    } catch (error) {
      if (!(error instanceof DevServerExitedAtStart) || attempt >= attempts) throw error;
      options.log?.warn(
        { attempt, reason: error.message },
        'the Temporal dev server exited during start-up; starting it again',
      );
    }
  }
}

/** The server process ended before it answered: worth one more start. */
class DevServerExitedAtStart extends TemporalSetupError {}

async function launch(
  options: StartDevServerOptions & { namespace: string; cacheDirectory: string; port: number },
): Promise<DevServer> {
  const { log, namespace, cacheDirectory, port } = options;
  const address = `${host}:${port}`;
  const uiPort = options.headless ? undefined : await chooseUiPort(port, options.uiPort);
  const dbFilename = options.dbFilename ?? cachePaths(cacheDirectory).devServerDatabase(port);
  const logFile =
    options.logFile ??
    join(
      options.dbFilename ? dirname(options.dbFilename) : cachePaths(cacheDirectory).devServerDirectory,
      `temporal-${port}.log`,
    );
  mkdirSync(dirname(dbFilename), { recursive: true });
  mkdirSync(dirname(logFile), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--ip',
    host,
    '--port',
    String(port),
    '--db-filename',
    dbFilename,
    ...sqlitePragmaArguments(options.sqlitePragmas ?? defaultSqlitePragmas),
    '--log-level',
    options.logLevel ?? 'warn',
    '--color',
    'never',
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...(uiPort !== undefined && options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    // `default` is always created; naming it again is redundant.
    ...(namespace === 'default' ? [] : ['--namespace', namespace]),
    ...options.searchAttributes.flatMap((definition) => [
      '--search-attribute',
      `${definition.name}=${definition.type}`,
    ]),
  ];
  const logDescriptor = openSync(logFile, 'a');
  const startOffset = fstatSync(logDescriptor).size;
  writeSync(logDescriptor, `\n--- ${new Date().toISOString()} ${options.binaryPath} ${args.join(' ')}\n`);
  const child = spawn(options.binaryPath, args, { stdio: ['ignore', logDescriptor, logDescriptor] });
  closeSync(logDescriptor);
  log?.debug({ serverPid: child.pid, args, logFile }, 'starting the Temporal dev server');

  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitDescription = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    child.once('error', (error) => {
      exitDescription = `could not start: ${error.message}`;
      resolve();
    });
  });
  // If this process ends without calling stop(), do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exitDescription !== undefined) return;
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(resolve, options.stopTimeoutMs ?? 10_000, 'timeout').unref(),
    );
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      log?.warn({ serverPid: child.pid }, 'the Temporal dev server ignored SIGTERM; killing it');
      child.kill('SIGKILL');
      await exited;
    }
  };

  const startedAt = Date.now();
  try {
    const connection = await waitForTemporalServer({
      address,
      namespace,
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      abortReason: () => (exitDescription ? `the dev server ${exitDescription}` : undefined),
    });
    try {
      // Flags register search attributes only when the namespace is created: an existing SQLite file needs this.
      const added = await ensureSearchAttributes(connection, namespace, options.searchAttributes);
      if (added.length > 0) log?.info({ added }, 'registered search attributes missing from the existing database');
    } finally {
      await connection.close();
    }
  } catch (error) {
    await stop();
    if (TemporalSetupError.isInstance(error)) throw error;
    const ErrorClass = exitDescription === undefined ? TemporalSetupError : DevServerExitedAtStart;
    throw new ErrorClass({
      type: temporalSetupErrorTypes.devServerFailed,
      message: `The Temporal dev server did not start: ${(error as Error).message}. ${describeLog(logFile, startOffset)}`,
      cause: error,
    });
  }
  log?.info({ address, uiPort, elapsedMs: Date.now() - startedAt }, 'Temporal dev server ready');

  return {
    address,
    namespace,
    uiUrl: uiPort === undefined ? undefined : `http://${host}:${uiPort}`,
    logFile,
    process: child,
    reused: false,
    stop,
  };
}

async function reuseOrRefuse(
  options: StartDevServerOptions & { address: string; namespace: string },
): Promise<DevServer> {
  const probe = await probeTemporalServer(options.address);
  if (!probe.connection) {
    throw new TemporalSetupError({
      type: temporalSetupErrorTypes.portInUse,
      message: `Port ${options.address} is taken by something that is not a Temporal server; choose another port (0 picks a free one).`,
    });
  }
  const connection = probe.connection;
  try {
    if (!options.reuseExisting) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.portInUse,
        message:
          `A Temporal server already answers on ${options.address}. Stop it, choose another port, ` +
          `or use it: set TEMPORAL_ADDRESS=${options.address} (or pass reuseExisting).`,
      });
    }
    await connection.workflowService.describeNamespace({ namespace: options.namespace }).catch((error: Error) => {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.serverUnreachable,
        message: `The Temporal server on ${options.address} has no namespace ${options.namespace}: ${error.message}`,
        cause: error,
      });
    });
    const added = await ensureSearchAttributes(connection, options.namespace, options.searchAttributes);
    options.log?.info({ address: options.address, added }, 'reusing the Temporal server already running');
  } finally {
    await connection.close();
  }
  return {
    address: options.address,
    namespace: options.namespace,
    uiUrl: await findWebUi(options.uiPort || Number(options.address.split(':')[1]) + 1000),
    logFile: undefined,
    process: undefined,
    reused: true,
    stop: async () => undefined,
  };
}

/** `--sqlite-pragma NAME=VALUE`, once per setting. */
function sqlitePragmaArguments(pragmas: Readonly<Record<string, string>>): string[] {
  return Object.entries(pragmas).flatMap(([name, value]) => ['--sqlite-pragma', `${name}=${value}`]);
}

async function chooseUiPort(port: number, requested: number | undefined): Promise<number> {
  if (requested !== undefined && requested !== 0) {
    if (await isPortAcceptingConnections(host, requested)) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.portInUse,
        message: `The Web UI port ${host}:${requested} is taken; choose another (0 picks a free one).`,
      });
    }
    return requested;
  }
  const preferred = port + 1000;
  if (requested === undefined && preferred <= 65535 && !(await isPortAcceptingConnections(host, preferred)))
    return preferred;
  return pickFreePort(host);
}

/** The Web UI URL if something answers HTTP on the port (a dev server's UI is at its port + 1000). */
async function findWebUi(port: number): Promise<string | undefined> {
  const url = `http://${host}:${port}`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
    await response.body?.cancel();
    return response.ok ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What this start wrote to the server's log: the first error-level, panic or fatal lines (a crash's
 * cause sits above its long stack trace) and the last lines.
 */
function describeLog(path: string, fromOffset: number): string {
  let lines: string[];
  try {
    lines = readFileSync(path).subarray(fromOffset).toString('utf8').trimEnd().split('\n');
  } catch {
    return `No log at ${path}.`;
  }
  const causes = lines.filter((line) => /level=ERROR|^panic:|^fatal error:|^Error:/.test(line)).slice(0, 5);
  const last = lines.slice(-20);
  const firstCauses = causes.filter((line) => !last.includes(line));
  return (
    (firstCauses.length > 0 ? `First errors in ${path}:\n${firstCauses.join('\n')}\n` : '') +
    `Last lines of ${path}:\n${last.join('\n')}`
  );
}
