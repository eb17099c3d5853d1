import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressTerminal } from './build-progress';
import { cachePaths } from './cache-directory';
import { findOrBuildTemporalBinary } from './temporal-binary';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';

const fakeTemporalScript = (version: string) => `#!/bin/sh\necho "temporal version ${version}"\n`;

// Stands in for go: logs each call, prints go-like progress, and installs a fake temporal into $GOBIN,
// or fails the way FAKE_GO_MODE says.
const fakeGoScript = `#!/bin/sh
echo "$1|GOSUMDB=\${GOSUMDB:-}|CGO_ENABLED=\${CGO_ENABLED:-}|GOTOOLCHAIN=\${GOTOOLCHAIN:-}" >> "$FAKE_GO_LOG"
case "$1" in
  install)
    if [ -n "\${FAKE_GO_DELAY:-}" ]; then sleep "$FAKE_GO_DELAY"; fi
    echo "go: downloading github.com/temporalio/cli v1.5.1" >&2
    echo "go: downloading go.temporal.io/server v1.29.1" >&2
    if [ "\${FAKE_GO_MODE:-}" = sumdb ] && [ "\${GOSUMDB:-}" != off ]; then
      echo 'go: github.com/temporalio/cli@v1.5.1: verifying module: Get "https://sum.golang.org/lookup/x": dial tcp: lookup sum.golang.org: no such host' >&2
      exit 1
    fi
    if [ "\${FAKE_GO_MODE:-}" = mismatch ]; then printf 'verifying x: checksum mismatch\\nSECURITY ERROR\\n' >&2; exit 1; fi
    if [ "\${FAKE_GO_MODE:-}" = broken ]; then echo 'temporalcli/commands.go:1:1: undefined: foo' >&2; exit 1; fi
    printf '#!/bin/sh\\necho "temporal version 0.0.0-DEV"\\n' > "$GOBIN/temporal"
    chmod +x "$GOBIN/temporal"
    ;;
  mod) echo '{"Path": "github.com/temporalio/cli", "Version": "v1.9.1"}' ;;
  *) exit 2 ;;
esac
`;

function writeExecutable(path: string, text: string): string {
  writeFileSync(path, text);
  chmodSync(path, 0o755);
  return path;
}

function recordingTerminal(): ProgressTerminal & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0, text: () => chunks.join('') };
}

async function errorOf(promise: Promise<unknown>): Promise<TemporalSetupError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TemporalSetupError) return error;
    throw error;
  }
  throw new Error('expected a TemporalSetupError');
}

describe('findOrBuildTemporalBinary', () => {
  let root: string;
  let cacheDirectory: string;
  let binDirectory: string;
  let goDirectory: string;
  let goLog: string;
  const systemPath = '/usr/bin:/bin';

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'temporal-binary-'));
    cacheDirectory = join(root, 'cache');
    binDirectory = join(root, 'bin');
    goDirectory = join(root, 'go-bin');
    goLog = join(root, 'go.log');
    mkdirSync(binDirectory);
    mkdirSync(goDirectory);
    writeExecutable(join(goDirectory, 'go'), fakeGoScript);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const putInCache = () => {
    mkdirSync(cachePaths(cacheDirectory).cliDirectory, { recursive: true });
    return writeExecutable(cachePaths(cacheDirectory).cliBinary, fakeTemporalScript('cached'));
  };
  const goCalls = () => (existsSync(goLog) ? readFileSync(goLog, 'utf8').trim().split('\n') : []);

  describe('resolution order', () => {
    it('uses TEMPORAL_CLI_PATH before PATH and the cache', async () => {
      const configured = writeExecutable(join(root, 'my-temporal'), fakeTemporalScript('configured'));
      writeExecutable(join(binDirectory, 'temporal'), fakeTemporalScript('on-path'));
      putInCache();
      const environment = { TEMPORAL_CLI_PATH: configured, PATH: `${binDirectory}:${systemPath}` };
      await expect(findOrBuildTemporalBinary({ environment, cacheDirectory })).resolves.toBe(configured);
    });

    it('uses temporal on PATH before the cache', async () => {
      const onPath = writeExecutable(join(binDirectory, 'temporal'), fakeTemporalScript('on-path'));
      putInCache();
      await expect(
        findOrBuildTemporalBinary({ environment: { PATH: `${binDirectory}:${systemPath}` }, cacheDirectory }),
      ).resolves.toBe(onPath);
    });

    it('skips a temporal on PATH whose --version fails, and uses the cache', async () => {
      writeExecutable(join(binDirectory, 'temporal'), '#!/bin/sh\nexit 3\n');
      const cached = putInCache();
      await expect(
        findOrBuildTemporalBinary({ environment: { PATH: `${binDirectory}:${systemPath}` }, cacheDirectory }),
      ).resolves.toBe(cached);
    });

    it('uses the cache without running go', async () => {
      const cached = putInCache();
      const environment = { PATH: `${goDirectory}:${systemPath}`, FAKE_GO_LOG: goLog };
      await expect(findOrBuildTemporalBinary({ environment, cacheDirectory })).resolves.toBe(cached);
      expect(goCalls()).toEqual([]);
    });

    it('finds the cache through TEMPORAL_CASCADE_CACHE', async () => {
      const cached = putInCache();
      await expect(
        findOrBuildTemporalBinary({ environment: { PATH: systemPath, TEMPORAL_CASCADE_CACHE: cacheDirectory } }),
      ).resolves.toBe(cached);
    });
  });

  describe('a bad TEMPORAL_CLI_PATH', () => {
    it.each([
      ['a missing file', (directory: string) => join(directory, 'nope'), 'no such file'],
      ['a directory', (directory: string) => directory, 'not a regular file'],
      [
        'a file that is not executable',
        (directory: string) => (writeFileSync(join(directory, 'plain'), 'x'), join(directory, 'plain')),
        'not executable',
      ],
    ])('fails clearly for %s', async (_case, makePath, reason) => {
      putInCache();
      const path = makePath(root);
      const error = await errorOf(
        findOrBuildTemporalBinary({ environment: { TEMPORAL_CLI_PATH: path, PATH: systemPath }, cacheDirectory }),
      );
      expect(error.type).toBe(temporalSetupErrorTypes.cliPathInvalid);
      expect(error.message).toBe(
        `TEMPORAL_CLI_PATH=${path} cannot be used: ${reason}${reason === 'not executable' ? ' (chmod +x it)' : ''}. Point it at a Temporal CLI binary, or unset it.`,
      );
    });
  });

  it('without go, says to install Go or set TEMPORAL_CLI_PATH / TEMPORAL_ADDRESS', async () => {
    const error = await errorOf(findOrBuildTemporalBinary({ environment: { PATH: systemPath }, cacheDirectory }));
    expect(error.type).toBe(temporalSetupErrorTypes.goNotFound);
    expect(error.message).toMatch(/no `go` on PATH.*Install Go >= 1\.25/s);
    expect(error.message).toMatch(/TEMPORAL_CLI_PATH.*TEMPORAL_ADDRESS/s);
  });

  describe('building with go', () => {
    const buildEnvironment = (extra: Record<string, string> = {}) => ({
      PATH: `${goDirectory}:${systemPath}`,
      FAKE_GO_LOG: goLog,
      ...extra,
    });

    it('runs go install with CGO_ENABLED=0 and GOTOOLCHAIN=local, streams its lines, and moves the binary into the cache', async () => {
      const lines: string[] = [];
      const terminal = recordingTerminal();
      const path = await findOrBuildTemporalBinary({
        environment: buildEnvironment(),
        cacheDirectory,
        onProgress: (line) => lines.push(line),
        terminal,
      });
      expect(path).toBe(cachePaths(cacheDirectory).cliBinary);
      expect(goCalls()).toEqual(['install|GOSUMDB=|CGO_ENABLED=0|GOTOOLCHAIN=local']);
      expect(lines).toEqual([
        'go: downloading github.com/temporalio/cli v1.5.1',
        'go: downloading go.temporal.io/server v1.29.1',
      ]);
      expect(terminal.text()).toMatch(/^Building the Temporal CLI v1\.5\.1 with go install \(first run only/);
      expect(terminal.text()).toMatch(/Built the Temporal CLI in \d+s/);
      // Nothing left behind but the binary's directory: no scratch directory, no lock.
      expect(readdirSync(cacheDirectory)).toEqual(['temporal-cli-v1.5.1']);
    });

    it('retries once with GOSUMDB=off when the checksum database cannot be reached', async () => {
      const terminal = recordingTerminal();
      await findOrBuildTemporalBinary({
        environment: buildEnvironment({ FAKE_GO_MODE: 'sumdb' }),
        cacheDirectory,
        terminal,
      });
      expect(goCalls()).toEqual([
        'install|GOSUMDB=|CGO_ENABLED=0|GOTOOLCHAIN=local',
        'install|GOSUMDB=off|CGO_ENABLED=0|GOTOOLCHAIN=local',
      ]);
      expect(terminal.text()).toContain(
        'the Go checksum database (sum.golang.org) could not be reached; retrying once with GOSUMDB=off.',
      );
    });

    it('never turns checksum verification off after a checksum mismatch', async () => {
      const error = await errorOf(
        findOrBuildTemporalBinary({
          environment: buildEnvironment({ FAKE_GO_MODE: 'mismatch' }),
          cacheDirectory,
          terminal: recordingTerminal(),
        }),
      );
      expect(error.type).toBe(temporalSetupErrorTypes.buildFailed);
      expect(goCalls()).toEqual(['install|GOSUMDB=|CGO_ENABLED=0|GOTOOLCHAIN=local']);
      expect(error.message).toContain('a downloaded module does not match its checksum');
    });

    it('falls back to the wrapper module, and reports every attempt when that fails too', async () => {
      const terminal = recordingTerminal();
      const error = await errorOf(
        findOrBuildTemporalBinary({
          environment: buildEnvironment({ FAKE_GO_MODE: 'broken' }),
          cacheDirectory,
          terminal,
        }),
      );
      expect(error.type).toBe(temporalSetupErrorTypes.buildFailed);
      expect(goCalls().map((call) => call.split('|')[0])).toEqual(['install', 'mod']);
      expect(terminal.text()).toContain('trying the wrapper-module fallback');
      expect(error.message).toContain('- go install github.com/temporalio/cli/cmd/temporal@v1.5.1: go failed');
      expect(error.message).toContain('undefined: foo');
      expect(error.message).toContain('- wrapper-module build:');
      expect(error.message).toContain('set TEMPORAL_CASCADE_CLIEXT_VERSION');
      expect(existsSync(cachePaths(cacheDirectory).cliBinary)).toBe(false);
      expect(readdirSync(cacheDirectory)).toEqual([]);
    });

    it('builds once when two callers race; the second waits for the first', async () => {
      const environment = buildEnvironment({ FAKE_GO_DELAY: '1' });
      const [first, second] = await Promise.all([
        findOrBuildTemporalBinary({ environment, cacheDirectory, terminal: recordingTerminal() }),
        findOrBuildTemporalBinary({ environment, cacheDirectory, terminal: recordingTerminal() }),
      ]);
      expect(first).toBe(second);
      expect(goCalls()).toHaveLength(1);
    });
  });
});
