import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { acquireBuildLock } from './build-lock';
import { formatElapsed, startBuildProgress, type BuildProgress, type ProgressTerminal } from './build-progress';
import { cachePaths, pinnedTemporalCliVersion, resolveCacheDirectory } from './cache-directory';
import { describeUnusableExecutable, findExecutableOnPath } from './executable-lookup';
import { runGoCommand } from './go-command';
import { classifyGoFailure, goFailureKinds, type GoFailure } from './go-failure';
import { TemporalSetupError, temporalSetupErrorTypes } from './temporal-setup-error';
import { buildWithWrapperModule } from './wrapper-module';

const execFileAsync = promisify(execFile);

const cliPackage = `github.com/temporalio/cli/cmd/temporal@${pinnedTemporalCliVersion}`;
const alternatives =
  'Or set TEMPORAL_CLI_PATH to a Temporal CLI binary (https://temporal.download), or TEMPORAL_ADDRESS to a running server (e.g. `docker compose up`).';

export interface FindOrBuildTemporalBinaryOptions {
  log?: Logger;
  /** Receives each line go prints while building (`go: downloading ...`). */
  onProgress?: (line: string) => void;
  /** Read for TEMPORAL_CLI_PATH, PATH, the cache location and go's settings. @default process.env */
  environment?: NodeJS.ProcessEnv;
  /** @default TEMPORAL_CASCADE_CACHE, else `${XDG_CACHE_HOME:-~/.cache}/temporal-cascade` */
  cacheDirectory?: string;
  /** Where the build spinner (TTY) or heartbeat lines go. @default process.stderr */
  terminal?: ProgressTerminal;
}

/**
 * Returns the path of a Temporal CLI that can run `temporal server start-dev`. In order:
 * 1. `TEMPORAL_CLI_PATH` (must be an executable file, else a `TemporalCliPathInvalid` error);
 * 2. `temporal` on `PATH`, if `temporal --version` runs;
 * 3. the cache, `<cache>/temporal-cli-v1.5.1/temporal`;
 * 4. a build with `go install` into the cache (minutes on a cold module cache; one process builds while
 *    others wait on a lock file). Throws `GoNotFound` without `go`, `TemporalCliBuildFailed` if building fails.
 */
export async function findOrBuildTemporalBinary(options: FindOrBuildTemporalBinaryOptions = {}): Promise<string> {
  const environment = options.environment ?? process.env;
  const log = options.log;

  const configuredPath = environment.TEMPORAL_CLI_PATH;
  if (configuredPath) {
    const problem = describeUnusableExecutable(configuredPath);
    if (problem) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.cliPathInvalid,
        message: `TEMPORAL_CLI_PATH=${configuredPath} cannot be used: ${problem}. Point it at a Temporal CLI binary, or unset it.`,
      });
    }
    log?.debug({ path: configuredPath }, 'Temporal CLI from TEMPORAL_CLI_PATH');
    return resolve(configuredPath);
  }

  const onPath = findExecutableOnPath('temporal', environment.PATH);
  if (onPath) {
    const version = await readTemporalVersion(onPath);
    if (version) {
      log?.debug({ path: onPath, version }, 'Temporal CLI from PATH');
      return onPath;
    }
    log?.warn({ path: onPath }, '`temporal --version` failed for the temporal on PATH; ignoring it');
  }

  const cacheDirectory = options.cacheDirectory ?? resolveCacheDirectory(environment);
  const paths = cachePaths(cacheDirectory);
  if (describeUnusableExecutable(paths.cliBinary) === undefined) {
    log?.debug({ path: paths.cliBinary }, 'Temporal CLI from the cache');
    return paths.cliBinary;
  }

  const goBinary = findExecutableOnPath('go', environment.PATH);
  if (!goBinary) {
    throw new TemporalSetupError({
      type: temporalSetupErrorTypes.goNotFound,
      message:
        `No Temporal CLI found (not on PATH, not in ${paths.cliDirectory}) and no \`go\` on PATH to build one. ` +
        `Install Go >= 1.25 (https://go.dev/dl/) and run again. ${alternatives}`,
    });
  }

  await mkdir(cacheDirectory, { recursive: true });
  let waiting: BuildProgress | undefined;
  const lock = await acquireBuildLock({
    path: paths.buildLock,
    onWait: (holder) => {
      waiting = startBuildProgress({
        title: 'Waiting for another process to build the Temporal CLI',
        detail: holder,
        log,
        terminal: options.terminal,
      });
    },
  }).finally(() => waiting?.stop());
  try {
    // The process we waited for may have built it.
    if (describeUnusableExecutable(paths.cliBinary) === undefined) return paths.cliBinary;
    await buildTemporalCli({ ...options, goBinary, environment, cacheDirectory, outputPath: paths.cliBinary });
    return paths.cliBinary;
  } finally {
    await lock.release();
  }
}

/** The first line of `temporal --version`, or undefined if it does not run. */
export async function readTemporalVersion(binaryPath: string): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(binaryPath, ['--version'], { timeout: 10_000 });
    const firstLine = stdout.split('\n')[0]?.trim() ?? '';
    return /temporal version/i.test(firstLine) ? firstLine : undefined;
  } catch {
    return undefined;
  }
}

interface BuildOptions extends FindOrBuildTemporalBinaryOptions {
  goBinary: string;
  environment: NodeJS.ProcessEnv;
  cacheDirectory: string;
  outputPath: string;
}

interface Attempt {
  what: string;
  failure: GoFailure;
  stderr: string;
}

/**
 * `go install` into a scratch directory inside the cache, then an atomic rename into place, so a
 * half-written binary is never found. Retries once with GOSUMDB=off when the only problem is that the
 * checksum database cannot be reached (never after a checksum mismatch), then tries the wrapper module.
 */
async function buildTemporalCli(options: BuildOptions): Promise<void> {
  const startedAt = Date.now();
  const scratch = await mkdtemp(join(options.cacheDirectory, '.build-'));
  const builtBinary = join(scratch, 'temporal');
  const progress = startBuildProgress({
    title: `Building the Temporal CLI ${pinnedTemporalCliVersion} with go install`,
    detail: 'first run only; a few minutes on a cold Go module cache',
    log: options.log,
    onProgress: options.onProgress,
    terminal: options.terminal,
  });
  const goEnvironment: NodeJS.ProcessEnv = {
    ...options.environment,
    CGO_ENABLED: '0',
    GOTOOLCHAIN: options.environment.GOTOOLCHAIN ?? 'local',
    GOBIN: scratch,
  };
  const attempts: Attempt[] = [];
  try {
    let built = await goInstall({
      ...options,
      environment: goEnvironment,
      progress,
      attempts,
      what: `go install ${cliPackage}`,
    });
    if (!built && attempts[0].failure.kind === goFailureKinds.checksumDatabaseUnreachable) {
      progress.note(`${attempts[0].failure.explanation}; retrying once with GOSUMDB=off.`);
      goEnvironment.GOSUMDB = 'off';
      built = await goInstall({
        ...options,
        environment: goEnvironment,
        progress,
        attempts,
        what: `GOSUMDB=off go install ${cliPackage}`,
      });
    }
    const lastFailure = attempts[attempts.length - 1]?.failure;
    if (!built && lastFailure?.kind !== goFailureKinds.checksumMismatch) {
      progress.note(`go install failed (${lastFailure?.explanation}); trying the wrapper-module fallback.`);
      const result = await buildWithWrapperModule({
        goBinary: options.goBinary,
        environment: goEnvironment,
        outputPath: builtBinary,
        scratchDirectory: scratch,
        onLine: (line) => progress.line(line),
      });
      if (result.ok) built = true;
      else
        attempts.push({
          what: 'wrapper-module build',
          failure: classifyGoFailure(result.stderr),
          stderr: result.stderr,
        });
    }
    if (!built) throw buildFailedError(attempts);

    await chmod(builtBinary, 0o755);
    if (!(await readTemporalVersion(builtBinary))) {
      throw new TemporalSetupError({
        type: temporalSetupErrorTypes.buildFailed,
        message: `The built ${builtBinary} does not run \`temporal --version\`.`,
      });
    }
    await mkdir(dirname(options.outputPath), { recursive: true });
    await rename(builtBinary, options.outputPath);
  } finally {
    progress.stop();
    await rm(scratch, { recursive: true, force: true });
  }
  const message = `Built the Temporal CLI in ${formatElapsed(Date.now() - startedAt)}: ${options.outputPath}`;
  if (options.log) options.log.info(message);
  else (options.terminal ?? process.stderr).write(`${message}\n`);
}

async function goInstall(
  options: BuildOptions & { progress: BuildProgress; attempts: Attempt[]; what: string },
): Promise<boolean> {
  let result;
  try {
    result = await runGoCommand({
      goBinary: options.goBinary,
      args: ['install', cliPackage],
      environment: options.environment,
      cwd: options.cacheDirectory,
      onLine: (line) => options.progress.line(line),
    });
  } catch (error) {
    throw new TemporalSetupError({
      type: temporalSetupErrorTypes.goNotFound,
      message: `Could not run ${options.goBinary}: ${(error as Error).message}. ${alternatives}`,
      cause: error,
    });
  }
  if (result.exitCode === 0) return true;
  options.attempts.push({ what: options.what, failure: classifyGoFailure(result.stderr), stderr: result.stderr });
  return false;
}

function buildFailedError(attempts: Attempt[]): TemporalSetupError {
  const details = attempts
    .map((attempt) => `- ${attempt.what}: ${attempt.failure.explanation}\n${lastLines(attempt.stderr, 12)}`)
    .join('\n');
  return new TemporalSetupError({
    type: temporalSetupErrorTypes.buildFailed,
    message: `Could not build the Temporal CLI.\n${details}\n${alternatives}`,
  });
}

function lastLines(text: string, count: number): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-count)
    .map((line) => `    ${line}`)
    .join('\n');
}
