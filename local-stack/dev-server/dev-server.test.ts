import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { searchAttributeDefinitions } from '../../contracts/search-attributes';
import { startDevServer, type DevServer } from './dev-server';
import { isPortAcceptingConnections } from '../../http/free-port';
import { resolveTemporal } from './resolve-temporal';
import { listCustomSearchAttributes } from './search-attribute-registration';
import { findOrBuildTemporalBinary } from './temporal-binary';
import { temporalSetupErrorTypes } from './temporal-setup-error';

const { INDEXED_VALUE_TYPE_KEYWORD: keyword, INDEXED_VALUE_TYPE_DOUBLE: double } =
  temporal.api.enums.v1.IndexedValueType;

// A real `temporal server start-dev` (the cached CLI; built on first use) on free loopback ports.
describe('startDevServer with the real Temporal CLI', () => {
  jest.setTimeout(90_000);
  let directory: string;
  let binaryPath: string;
  let server: DevServer | undefined;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'dev-server-'));
    binaryPath = await findOrBuildTemporalBinary();
  }, 20 * 60_000); // a first build on a cold Go module cache takes minutes
  afterAll(async () => {
    await server?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const start = (
    extra: { searchAttributes?: Array<{ name: string; type: string }>; headless?: boolean; namespace?: string } = {},
  ) =>
    startDevServer({
      binaryPath,
      namespace: extra.namespace,
      port: 0,
      headless: extra.headless ?? true,
      dbFilename: join(directory, 'temporal.sqlite'),
      logFile: join(directory, 'temporal.log'),
      searchAttributes: extra.searchAttributes ?? searchAttributeDefinitions(),
    });

  const withConnection = async <T>(address: string, use: (connection: Connection) => Promise<T>): Promise<T> => {
    const connection = await Connection.connect({ address });
    try {
      return await use(connection);
    } finally {
      await connection.close();
    }
  };

  it('starts, answers, lists the cascade search attributes and serves the Web UI', async () => {
    server = await start({ headless: false });
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.reused).toBe(false);
    const attributes = await withConnection(server.address, async (connection) => {
      const info = await connection.workflowService.getSystemInfo({});
      expect(info.serverVersion).toMatch(/^1\.\d+/);
      // Registered through the API; must survive the restart below without any flag.
      await connection.operatorService.addSearchAttributes({
        namespace: 'default',
        searchAttributes: { CascadeTestMarker: keyword },
      });
      return listCustomSearchAttributes(connection, 'default');
    });
    expect(attributes.get('CascadeRoute')).toBe(keyword);
    expect(attributes.get('CascadeCostUsd')).toBe(double);
    expect([...attributes.keys()]).toEqual(
      expect.arrayContaining(searchAttributeDefinitions().map((definition) => definition.name)),
    );
    const ui = await fetch(server.uiUrl as string);
    expect(ui.status).toBe(200);
    expect(readFileSync(server.logFile as string, 'utf8')).toContain('server start-dev --ip 127.0.0.1');
  });

  it('runs its SQLite file with write-ahead logging', () => {
    expect(readFileSync(server?.logFile as string, 'utf8')).toContain(
      '--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal',
    );
    // SQLite creates the -wal file beside the database only in WAL mode.
    expect(existsSync(join(directory, 'temporal.sqlite-wal'))).toBe(true);
  });

  it('refuses the port of a running Temporal server, unless told to reuse it', async () => {
    const running = server as DevServer;
    const port = Number(running.address.split(':')[1]);
    const options = { binaryPath, port, headless: true, searchAttributes: searchAttributeDefinitions() };
    await expect(startDevServer(options)).rejects.toMatchObject({
      type: temporalSetupErrorTypes.portInUse,
      message: expect.stringContaining(`A Temporal server already answers on ${running.address}`),
    });
    const reused = await startDevServer({
      ...options,
      reuseExisting: true,
      searchAttributes: [{ name: 'CascadeReuseMarker', type: 'Keyword' }],
    });
    expect(reused).toMatchObject({ address: running.address, reused: true, process: undefined, uiUrl: running.uiUrl });
    await reused.stop();
    const attributes = await withConnection(running.address, (connection) =>
      listCustomSearchAttributes(connection, 'default'),
    );
    expect(attributes.get('CascadeReuseMarker')).toBe(keyword);
  });

  it('resolveTemporal connects to TEMPORAL_ADDRESS without starting anything', async () => {
    const running = server as DevServer;
    const resolved = await resolveTemporal({ environment: { TEMPORAL_ADDRESS: running.address, PATH: '' } });
    expect(resolved).toMatchObject({
      address: running.address,
      namespace: 'default',
      startedDevServer: false,
      uiUrl: undefined,
    });
    await resolved.stop();
    expect(await isPortAcceptingConnections('127.0.0.1', Number(running.address.split(':')[1]))).toBe(true);
  });

  it('stop() ends the process and frees the port', async () => {
    const running = server as DevServer;
    server = undefined;
    await running.stop();
    expect(running.process?.exitCode ?? running.process?.signalCode).not.toBeNull();
    expect(await isPortAcceptingConnections('127.0.0.1', Number(running.address.split(':')[1]))).toBe(false);
  });

  it('keeps state in the SQLite file: an attribute added through the API is there after a restart without flags', async () => {
    server = await start({ searchAttributes: [], namespace: 'compose-check' });
    const attributes = await withConnection(server.address, (connection) =>
      listCustomSearchAttributes(connection, 'default'),
    );
    expect(attributes.get('CascadeTestMarker')).toBe(keyword);
    expect(attributes.get('CascadeRoute')).toBe(keyword);
  });

  it('runs the registration script of docker-compose.yml against the server, twice (it is idempotent)', async () => {
    const running = server as DevServer;
    const compose = parseYaml(readFileSync(join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')) as {
      services: Record<string, { command: string[] }>;
    };
    const script = compose.services['register-search-attributes'].command[0];
    const environment = {
      PATH: `${dirname(binaryPath)}:/usr/bin:/bin`,
      HOME: directory,
      TEMPORAL_ADDRESS: running.address,
      TEMPORAL_NAMESPACE: 'compose-check',
    };
    const before = await withConnection(running.address, (connection) =>
      listCustomSearchAttributes(connection, 'compose-check'),
    );
    expect(before.has('CascadeRoute')).toBe(false);
    for (let run = 0; run < 2; run++) {
      expect(execFileSync('/bin/sh', ['-c', script], { env: environment, encoding: 'utf8' })).toContain(
        'Search attributes have been added',
      );
    }
    const after = await withConnection(running.address, (connection) =>
      listCustomSearchAttributes(connection, 'compose-check'),
    );
    for (const definition of searchAttributeDefinitions()) {
      expect(after.get(definition.name)).toBe(definition.type === 'Double' ? double : keyword);
    }
    await running.stop();
    server = undefined;
  });

  it('resolveTemporal without TEMPORAL_ADDRESS starts a dev server from TEMPORAL_CLI_PATH, and stop() stops it', async () => {
    const environment = { TEMPORAL_CLI_PATH: binaryPath, TEMPORAL_CASCADE_CACHE: join(directory, 'cache'), PATH: '' };
    const resolved = await resolveTemporal({ environment, port: 0, headless: true });
    expect(resolved).toMatchObject({ namespace: 'default', startedDevServer: true, uiUrl: undefined });
    expect(resolved.logFile).toContain(join(directory, 'cache', 'dev-server'));
    const attributes = await withConnection(resolved.address, (connection) =>
      listCustomSearchAttributes(connection, 'default'),
    );
    expect(attributes.get('CascadeFlagshipOnlyCostUsd')).toBe(double);
    await resolved.stop();
    expect(await isPortAcceptingConnections('127.0.0.1', Number(resolved.address.split(':')[1]))).toBe(false);
  });

  it('gives each port its own default SQLite file, so two dev servers run side by side', async () => {
    const cacheDirectory = join(directory, 'two-servers');
    const [first, second] = await Promise.all(
      [0, 1].map(() =>
        startDevServer({
          binaryPath,
          port: 0,
          headless: true,
          cacheDirectory,
          searchAttributes: searchAttributeDefinitions(),
        }),
      ),
    );
    try {
      for (const running of [first!, second!]) {
        const port = running.address.split(':')[1];
        expect(existsSync(join(cacheDirectory, 'dev-server', `temporal-${port}.sqlite`))).toBe(true);
        const attributes = await withConnection(running.address, (connection) =>
          listCustomSearchAttributes(connection, 'default'),
        );
        expect(attributes.get('CascadeRoute')).toBe(keyword);
      }
    } finally {
      await Promise.all([first?.stop(), second?.stop()]);
    }
  });

  it('resolveTemporal fails clearly when TEMPORAL_ADDRESS does not answer', async () => {
    const environment = { TEMPORAL_ADDRESS: '127.0.0.1:1', PATH: '' };
    await expect(resolveTemporal({ environment, connectTimeoutMs: 300 })).rejects.toMatchObject({
      type: temporalSetupErrorTypes.serverUnreachable,
      message: expect.stringMatching(
        /^TEMPORAL_ADDRESS=127\.0\.0\.1:1 does not answer \(.*\)\. Start it .* or unset TEMPORAL_ADDRESS to run a local dev server\.$/,
      ),
    });
  });

  it('fails clearly when the port is held by something that is not Temporal', async () => {
    const accepted: Socket[] = [];
    const blocker: Server = createServer((socket) => accepted.push(socket));
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startDevServer({ binaryPath, port, headless: true, searchAttributes: [] })).rejects.toMatchObject({
        type: temporalSetupErrorTypes.portInUse,
        message: `Port 127.0.0.1:${port} is taken by something that is not a Temporal server; choose another port (0 picks a free one).`,
      });
    } finally {
      // The probe's gRPC client leaves its half-open socket to the OS; drop ours so jest can exit.
      accepted.forEach((socket) => socket.destroy());
      blocker.close();
    }
  });

  it('quotes the end of the server log when the server exits at once', async () => {
    const broken = join(directory, 'broken-temporal');
    writeFileSync(broken, '#!/bin/sh\necho "Error: unable to open database file" >&2\nexit 1\n');
    chmodSync(broken, 0o755);
    const logFile = join(directory, 'broken.log');
    await expect(
      startDevServer({
        binaryPath: broken,
        port: 0,
        headless: true,
        searchAttributes: [],
        dbFilename: join(directory, 'b.sqlite'),
        logFile,
      }),
    ).rejects.toMatchObject({
      type: temporalSetupErrorTypes.devServerFailed,
      message: expect.stringMatching(
        /the dev server exited with code 1\. Last lines of .*broken\.log:\n[\s\S]*Error: unable to open database file/,
      ),
    });
  });
  it("quotes the first error of a crash above its stack trace, with only this start's lines", async () => {
    const crashing = join(directory, 'crashing-temporal');
    const stack = Array.from({ length: 30 }, (_, index) => `\tframe${index}.go:${index}`).join('\n');
    writeFileSync(
      crashing,
      `#!/bin/sh\necho 'time=1 level=ERROR msg="Failed to start gRPC listener" error="address already in use"'\necho 'panic: runtime error: invalid memory address'\necho '${stack}'\nexit 2\n`,
    );
    chmodSync(crashing, 0o755);
    const logFile = join(directory, 'crashing.log');
    writeFileSync(logFile, 'level=ERROR an earlier start, not this one\n');
    const failure = startDevServer({
      binaryPath: crashing,
      port: 0,
      headless: true,
      searchAttributes: [],
      startAttempts: 1,
      logFile,
      dbFilename: join(directory, 'c.sqlite'),
    });
    await expect(failure).rejects.toMatchObject({
      type: temporalSetupErrorTypes.devServerFailed,
      message: expect.stringMatching(
        /exited with code 2\. First errors in .*crashing\.log:\n.*Failed to start gRPC listener.*\npanic: runtime error: invalid memory address\nLast lines of/,
      ),
    });
    await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining('an earlier start') });
  });

  it('starts the server again when it exits during start-up', async () => {
    const marker = join(directory, 'first-start-done');
    const flaky = join(directory, 'flaky-temporal');
    writeFileSync(
      flaky,
      `#!/bin/sh\nif [ ! -f '${marker}' ]; then touch '${marker}'; echo 'panic: listen tcp: address already in use'; exit 2; fi\nexec '${binaryPath}' "$@"\n`,
    );
    chmodSync(flaky, 0o755);
    const logFile = join(directory, 'flaky.log');
    const restarted = await startDevServer({
      binaryPath: flaky,
      port: 0,
      headless: true,
      searchAttributes: [],
      logFile,
      dbFilename: join(directory, 'f.sqlite'),
    });
    try {
      expect(await isPortAcceptingConnections('127.0.0.1', Number(restarted.address.split(':')[1]))).toBe(true);
      expect(readFileSync(logFile, 'utf8')).toContain('panic: listen tcp: address already in use');
    } finally {
      await restarted.stop();
    }
  });
});
