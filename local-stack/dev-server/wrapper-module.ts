import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGoCommand, type GoCommandResult } from './go-command';
import { packageRoot } from './package-root';

/** The CLI release the fallback builds: the newest the module proxy serves that needs a `replace`. */
export const wrapperCliVersion = 'v1.9.1';

const cliModule = 'github.com/temporalio/cli';
const cliextModule = 'github.com/temporalio/cli/cliext';
const cliPackage = 'github.com/temporalio/cli/cmd/temporal';

const moduleVersionPattern = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+incompatible)?$/;

export interface WrapperGoModValues {
  /** Version of github.com/temporalio/cli, e.g. `v1.9.1`. */
  cliVersion: string;
  /** Version that github.com/temporalio/cli/cliext is replaced with; no `replace` line when absent. */
  cliextVersion?: string;
}

/** Finds `wrapper-module/go.mod.tmpl` beside this file, or in the sources when running from `dist/`. */
export function wrapperTemplatePath(): string {
  const candidates = [
    join(__dirname, 'wrapper-module', 'go.mod.tmpl'),
    join(packageRoot(), 'local-stack', 'dev-server', 'wrapper-module', 'go.mod.tmpl'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
}

/** Fills `{{name}}` placeholders; throws on a placeholder without a value. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}

/** Renders the wrapper module's go.mod. Versions are checked so nothing but a version lands in the file. */
export function renderWrapperGoMod(
  values: WrapperGoModValues,
  template = readFileSync(wrapperTemplatePath(), 'utf8'),
): string {
  assertModuleVersion('cliVersion', values.cliVersion);
  if (values.cliextVersion !== undefined) assertModuleVersion('cliextVersion', values.cliextVersion);
  const cliextReplace = values.cliextVersion
    ? `\nreplace ${cliextModule} => ${cliextModule} ${values.cliextVersion}\n`
    : '';
  return renderTemplate(template, { cliVersion: values.cliVersion, cliextReplace });
}

function assertModuleVersion(field: string, version: string): void {
  if (!moduleVersionPattern.test(version)) {
    throw new Error(`${field} must be a Go module version like v1.9.1, got ${JSON.stringify(version)}`);
  }
}

export interface WrapperBuildOptions {
  goBinary: string;
  environment: NodeJS.ProcessEnv;
  /** Where the binary is written. */
  outputPath: string;
  /** A directory for the temporary module (inside the cache, so it is on the same disk). */
  scratchDirectory: string;
  /** @default wrapperCliVersion */
  cliVersion?: string;
  /** @default the environment's TEMPORAL_CASCADE_CLIEXT_VERSION, else the cliext commit of the CLI release */
  cliextVersion?: string;
  onLine?: (line: string) => void;
}

export interface WrapperBuildResult {
  ok: boolean;
  /** What ran and what went wrong, for the error message. */
  stderr: string;
}

/**
 * Builds the CLI through a temporary wrapper module: resolve the cliext version, write go.mod from the
 * template, `go build -mod=mod`. Never throws for a go failure; returns its stderr.
 */
export async function buildWithWrapperModule(options: WrapperBuildOptions): Promise<WrapperBuildResult> {
  const cliVersion = options.cliVersion ?? wrapperCliVersion;
  const moduleDirectory = await mkdtemp(join(options.scratchDirectory, 'wrapper-module-'));
  const run = (args: string[]): Promise<GoCommandResult> =>
    runGoCommand({
      goBinary: options.goBinary,
      args,
      cwd: moduleDirectory,
      environment: options.environment,
      onLine: options.onLine,
    });
  try {
    // A go.mod from the start, so go never picks up a module that happens to enclose the cache directory.
    await writeFile(join(moduleDirectory, 'go.mod'), 'module temporal-cascade.local/temporal-cli\n');
    const cliextVersion =
      options.cliextVersion ??
      options.environment.TEMPORAL_CASCADE_CLIEXT_VERSION ??
      (await resolveCliextVersion(run, cliVersion));
    if (typeof cliextVersion !== 'string') return { ok: false, stderr: cliextVersion.stderr };
    await writeFile(join(moduleDirectory, 'go.mod'), renderWrapperGoMod({ cliVersion, cliextVersion }));
    // -mod=mod lets go fill in go.sum for just the packages it builds (lighter than `go mod tidy`,
    // which also fetches the test dependencies of every dependency).
    const args = ['build', '-mod=mod', '-o', options.outputPath, cliPackage];
    const result = await run(args);
    if (result.exitCode !== 0) return { ok: false, stderr: `go ${args.join(' ')}:\n${result.stderr}` };
    return { ok: true, stderr: '' };
  } finally {
    await rm(moduleDirectory, { recursive: true, force: true });
  }
}

/**
 * The CLI's go.mod replaces cliext with `./cliext` of the same commit, so the matching version is the
 * pseudo-version of that commit. The proxy's `Origin` record names it.
 */
async function resolveCliextVersion(
  run: (args: string[]) => Promise<GoCommandResult>,
  cliVersion: string,
): Promise<string | { stderr: string }> {
  const download = await run(['mod', 'download', '-json', `${cliModule}@${cliVersion}`]);
  if (download.exitCode !== 0)
    return { stderr: `go mod download ${cliModule}@${cliVersion}:\n${download.stdout}${download.stderr}` };
  const origin = (JSON.parse(download.stdout) as { Origin?: { Hash?: string } }).Origin;
  if (!origin?.Hash) {
    return {
      stderr:
        `the module proxy gave no commit (Origin) for ${cliModule}@${cliVersion}, so the matching ${cliextModule} ` +
        'version is unknown; set TEMPORAL_CASCADE_CLIEXT_VERSION to one (a tag or pseudo-version)\n',
    };
  }
  const listing = await run(['list', '-m', '-json', `${cliextModule}@${origin.Hash}`]);
  if (listing.exitCode !== 0) return { stderr: `go list -m ${cliextModule}@${origin.Hash}:\n${listing.stderr}` };
  return (JSON.parse(listing.stdout) as { Version: string }).Version;
}
