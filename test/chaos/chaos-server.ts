import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'pg';
import { searchAttributeDefinitions } from '../../contracts/search-attributes';
import { resolveCacheDirectory } from '../../local-stack/dev-server/cache-directory';
import { startDevServer, type DevServer } from '../../local-stack/dev-server/dev-server';
import { findOrBuildTemporalBinary } from '../../local-stack/dev-server/temporal-binary';

const run = promisify(execFile);

export type ChaosServerKind = 'dev' | 'postgres';

/** A Temporal server the chaos run may kill with SIGKILL and start again on the same port and data. */
export interface ChaosServer {
  address: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The version of the full server built from the Go module proxy, with its SQL schema tool. */
export const temporalServerVersion = 'v1.29.1';

export async function startChaosServer(options: {
  kind: ChaosServerKind;
  directory: string;
  postgresUrl: string;
  say: (line: string) => void;
}): Promise<ChaosServer> {
  return options.kind === 'dev' ? startDevChaosServer(options) : startPostgresChaosServer(options);
}

/** The dev server on a SQLite file of the run's own. */
async function startDevChaosServer(options: { directory: string }): Promise<ChaosServer> {
  const binaryPath = await findOrBuildTemporalBinary({});
  const dbFilename = join(options.directory, 'chaos.sqlite');
  const start = (port: number) =>
    startDevServer({
      binaryPath,
      port,
      headless: true,
      dbFilename,
      searchAttributes: searchAttributeDefinitions(),
      logFile: join(options.directory, 'dev-server.log'),
    });
  let server: DevServer = await start(0);
  const port = Number(server.address.split(':')[1]);
  return {
    address: server.address,
    async kill() {
      const child = server.process!;
      child.kill('SIGKILL');
      if (child.exitCode === null && child.signalCode === null)
        await new Promise((resolve) => child.once('exit', resolve));
    },
    async restart() {
      server = await start(port);
    },
    stop: () => server.stop(),
  };
}

/**
 * The full Temporal server, as self-hosted production runs it: `go.temporal.io/server/cmd/server` on
 * PostgreSQL, its two databases created and brought to the schema with `temporal-sql-tool` (built from
 * the Go module proxy into the cache once), the `default` namespace and the search attributes registered
 * with the Temporal CLI.
 */
async function startPostgresChaosServer(options: {
  directory: string;
  postgresUrl: string;
  say: (line: string) => void;
}): Promise<ChaosServer> {
  const { server: serverBinary, sqlTool, schemaDirectory } = await findOrBuildTemporalServer(options.say);
  const cli = await findOrBuildTemporalBinary({});
  const suffix = randomBytes(4).toString('hex');
  const databases = { main: `chaos_temporal_${suffix}`, visibility: `chaos_visibility_${suffix}` };
  const url = new URL(options.postgresUrl);
  const user = decodeURIComponent(url.username || 'postgres');
  const host = url.hostname;
  const dbPort = url.port || '5432';
  for (const [database, schema] of [
    [databases.main, 'temporal'],
    [databases.visibility, 'visibility'],
  ] as const) {
    const tool = (...args: string[]) =>
      run(sqlTool, ['--plugin', 'postgres12', '--ep', host, '-u', user, '-p', dbPort, '--db', database, ...args], {
        env: { ...process.env, SQL_PASSWORD: decodeURIComponent(url.password) },
      });
    await tool('create');
    await tool('setup-schema', '-v', '0.0');
    await tool('update-schema', '-d', join(schemaDirectory, schema, 'versioned'));
  }
  const ports = await freePorts(11);
  const [frontend, frontendHttp, frontendMembership, history, historyMembership, matching, matchingMembership] = ports;
  const [worker, workerMembership, pprof, metrics] = ports.slice(7);
  const configDirectory = join(options.directory, 'config');
  mkdirSync(join(configDirectory, 'dynamicconfig'), { recursive: true });
  writeFileSync(
    join(configDirectory, 'dynamicconfig', 'chaos.yaml'),
    'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n    constraints: {}\n',
  );
  const datastore = (database: string, connections: number) => `
      sql:
        pluginName: postgres12
        databaseName: ${database}
        connectAddr: "${host}:${dbPort}"
        connectProtocol: tcp
        user: ${JSON.stringify(user)}
        password: ${JSON.stringify(decodeURIComponent(url.password))}
        maxConns: ${connections}
        maxIdleConns: ${connections}
        maxConnLifetime: 1h`;
  const service = (grpc: number, membership: number, extra = '') => `
    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  writeFileSync(
    join(configDirectory, 'chaos.yaml'),
    `log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:${datastore(databases.main, 20)}
    postgres-visibility:${datastore(databases.visibility, 4)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: 127.0.0.1
  pprof:
    port: ${pprof}
  metrics:
    prometheus:
      framework: tally
      timerType: histogram
      listenAddress: "127.0.0.1:${metrics}"
services:
  frontend:${service(frontend!, frontendMembership!, `\n      httpPort: ${frontendHttp}`)}
  matching:${service(matching!, matchingMembership!)}
  history:${service(history!, historyMembership!)}
  worker:${service(worker!, workerMembership!)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: active
  currentClusterName: active
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: frontend
      rpcAddress: "127.0.0.1:${frontend}"
dcRedirectionPolicy:
  policy: noop
dynamicConfigClient:
  filepath: ${JSON.stringify(join(configDirectory, 'dynamicconfig', 'chaos.yaml'))}
  pollInterval: 10s
`,
  );
  const address = `127.0.0.1:${frontend}`;
  const logFile = join(options.directory, 'temporal-server.log');
  let child: ChildProcess | undefined;
  const start = async () => {
    const log = openSync(logFile, 'a');
    child = spawn(
      serverBinary,
      ['--root', options.directory, '--config', 'config', '--env', 'chaos', '--allow-no-auth', 'start'],
      { stdio: ['ignore', log, log] },
    );
    const deadline = Date.now() + 120_000;
    for (;;) {
      const healthy = await run(cli, ['operator', 'cluster', 'health', '--address', address]).then(
        () => true,
        () => false,
      );
      if (healthy) break;
      if (child.exitCode !== null) throw new Error(`the Temporal server exited with ${child.exitCode}; see ${logFile}`);
      if (Date.now() > deadline) throw new Error(`the Temporal server did not answer within 120 s; see ${logFile}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill('SIGKILL');
    await new Promise((resolve) => current.once('exit', resolve));
  };
  const dropDatabases = async () => {
    const pool = new Pool({ connectionString: options.postgresUrl, max: 1 });
    for (const database of Object.values(databases))
      await pool.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await pool.end();
  };
  try {
    await startWithNamespace();
  } catch (error) {
    await kill();
    await dropDatabases();
    throw error;
  }
  return {
    address,
    kill,
    restart: start,
    async stop() {
      await kill();
      await dropDatabases();
    },
  };

  /** Starts the server, creates the `default` namespace and registers the search attributes. */
  async function startWithNamespace(): Promise<void> {
    await start();
    const operator = (...args: string[]) => run(cli, ['operator', ...args, '--address', address]);
    await operator('namespace', 'create', '--namespace', 'default', '--retention', '1d').catch(() => undefined);
    for (let attempt = 0; ; attempt += 1) {
      const described = await operator('namespace', 'describe', '--namespace', 'default').then(
        () => true,
        () => false,
      );
      if (described) break;
      if (attempt > 120) throw new Error('the default namespace did not appear');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await operator(
      'search-attribute',
      'create',
      '--namespace',
      'default',
      ...searchAttributeDefinitions().flatMap((definition) => ['--name', definition.name, '--type', definition.type]),
    );
  }
}

/** The full server and its SQL tool, built once into the cache with `go install` from the Go module proxy. */
async function findOrBuildTemporalServer(say: (line: string) => void) {
  const cache = join(resolveCacheDirectory(process.env), `temporal-server-${temporalServerVersion}`);
  const server = join(cache, 'server');
  const sqlTool = join(cache, 'sql');
  if (!existsSync(server) || !existsSync(sqlTool)) {
    say(
      `building the Temporal server ${temporalServerVersion} and temporal-sql-tool with go install (once; several minutes)`,
    );
    mkdirSync(cache, { recursive: true });
    await run(
      'go',
      [
        'install',
        `go.temporal.io/server/cmd/server@${temporalServerVersion}`,
        `go.temporal.io/server/cmd/tools/sql@${temporalServerVersion}`,
      ],
      { env: { ...process.env, GOBIN: cache, CGO_ENABLED: '0' }, cwd: cache, maxBuffer: 64 * 1024 * 1024 },
    );
  }
  const moduleCache = (await run('go', ['env', 'GOMODCACHE'])).stdout.trim();
  const schemaDirectory = join(
    moduleCache,
    `go.temporal.io/server@${temporalServerVersion}`,
    'schema',
    'postgresql',
    'v12',
  );
  if (!existsSync(schemaDirectory)) {
    await run('go', ['mod', 'download', `go.temporal.io/server@${temporalServerVersion}`], { cwd: cache });
  }
  return { server, sqlTool, schemaDirectory };
}

/**
 * Ports nothing listens on now, below 32768: the server stores membership ports in a `smallint` column,
 * and the kernel's ephemeral ports (what port 0 gives) lie above it.
 */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    if (ports.includes(candidate)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(candidate, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) ports.push(candidate);
  }
  return ports;
}
