import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../config/load-config';
import { integrationEnvironment, requiredEnvironment } from './integration-environment';

/**
 * `cascade tune` as a user runs it: a child process that starts the model server and a worker against the
 * shared dev server, runs the demo's 60 labelled exam rows through real cascade workflows, prints a verdict
 * and writes the route the verdict supports. Every verdict exits 0; only bad input exits otherwise.
 */
const run = promisify(execFile);
const cliPath = join(__dirname, '..', '..', 'bin', 'cascade.js');
const root = join(__dirname, '..', '..');
const directory = mkdtempSync(join(tmpdir(), 'cascade-tune-command-'));
const common = [
  '--dataset',
  join(root, 'local-stack', 'demo', 'data', 'rational-cascades-sample.jsonl.gz'),
  '--route',
  'exam-qa',
  '--subset',
  'mmlu,medmcqa',
  '--config',
  join(root, 'local-stack', 'demo', 'routes.yaml'),
];

async function tune(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const environment = {
    ...process.env,
    LOG_LEVEL: 'error',
    TEMPORAL_ADDRESS: requiredEnvironment(integrationEnvironment.temporalAddress),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, 'tune', ...common, ...args], {
      env: environment,
      timeout: 110_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('cascade tune', () => {
  it('says not enough labelled rows for a 1-point promise on 60 rows, how many would do, and writes a flagship-only route', async () => {
    const out = join(directory, 'few-rows.yaml');
    const { code, stdout } = await tune(['--out', out, '--max-accuracy-loss', '1', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      verdict: string;
      tuning: { decision: { rowsNeeded?: { rows: number }; explanation: string[] } };
      written: { route: string };
    };
    expect(report.verdict).toBe('not-enough-rows');
    // Zero losses certify a point from 299 rows on: 60 rows cannot, and the report says how many would.
    expect(report.tuning.decision.rowsNeeded!.rows).toBeGreaterThanOrEqual(299);
    expect(report.tuning.decision.explanation.join(' ')).toMatch(/About \d+ labelled rows like these would certify/);
    expect(report.written.route).toBe('flagship-only');
    expect(loadConfig({ path: out, environment: process.env }).get('exam-qa').mode).toBe('flagship-only');
    // The gate stays in the file for a later tuning; the other routes are as they were.
    expect(readFileSync(out, 'utf8')).toContain('signalThreshold');
    expect(loadConfig({ path: out, environment: process.env }).get('math')).toEqual(
      loadConfig({ path: join(root, 'local-stack', 'demo', 'routes.yaml'), environment: process.env }).get('math'),
    );
  });

  it('writes the tuned signal threshold when a loose target pays, with the figures in words', async () => {
    const out = join(directory, 'loose.yaml');
    const { code, stdout } = await tune([
      '--out',
      out,
      '--max-accuracy-loss',
      '25',
      '--min-saving',
      '0',
      '--calibrate',
      'platt',
      '--curve',
      join(directory, 'curve.svg'),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^verdict {8}(PAYS|THE CHEAP MODEL ALONE MEETS THE TARGET)$/m);
    expect(stdout).toContain('prices: gpt-4o-mini and gpt-4o from the price table (genai-prices)');
    expect(stdout).toMatch(/expected on new rows \(cross-validated over 5 folds/);
    expect(stdout).toMatch(/^Tuned curve \(exact, 95\.0% confidence, 5-fold cross-validated/m);
    const chart = readFileSync(join(directory, 'curve.svg'), 'utf8');
    expect(chart).toMatch(/^<svg/);
    for (const label of [
      'Tuned exam-qa · gpt-4o-mini → gpt-4o',
      'tuned (exact), held out',
      'cheap only',
      'flagship only',
    ])
      expect(chart).toContain(`>${label}</text>`);
    const gate = loadConfig({ path: out, environment: process.env }).get('exam-qa').gate;
    expect(gate.kind).toBe('all');
    const confidence = gate.kind === 'all' ? gate.gates.find((child) => child.kind === 'confidence') : undefined;
    expect(confidence).toMatchObject({ kind: 'confidence', calibration: { method: 'platt' } });
    expect(confidence && 'signalThreshold' in confidence && typeof confidence.signalThreshold).toBe('number');
    expect(confidence && 'threshold' in confidence ? confidence.threshold : undefined).toBeUndefined();
  });

  it('exits 0 with an unreachable target and writes nothing', async () => {
    const out = join(directory, 'unreachable.yaml');
    const { code, stdout } = await tune(['--out', out, '--target-accuracy', '0.99']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^verdict {8}UNREACHABLE$/m);
    expect(stdout).toContain('wrote nothing');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses bad input before anything runs, naming the option, with exit code 2', async () => {
    const { code, stderr } = await tune(['--out', join(directory, 'bad.yaml'), '--max-accuracy-loss', '-1']);
    expect(code).toBe(2);
    expect(stderr).toContain('--max-accuracy-loss must be a number of accuracy points from 0 to below 100');
    expect(stderr).not.toContain('Starting Temporal');
  });

  it('refuses a curve chart file it cannot draw before anything runs, with exit code 2', async () => {
    const out = join(directory, 'unwritten.yaml');
    const args = ['--out', out, '--max-accuracy-loss', '25', '--curve', join(directory, 'curve.jpg')];
    const { code, stderr } = await tune(args);
    expect(code).toBe(2);
    expect(stderr).toContain('error (UnsupportedChartFormat): a chart file must end in .svg or .png');
    expect(existsSync(out)).toBe(false);
  });
});
