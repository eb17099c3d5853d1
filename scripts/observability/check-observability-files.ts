import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { dashboardJson, observabilityFileProblems, observabilityFiles, promtoolProblems } from './observability-files';

/**
 * Checks the Grafana dashboard and the Prometheus rules in `deploy/`: the dashboard is what
 * `cascade-dashboard.ts` builds, every query parses and names a metric the worker or the API exports (or a
 * rule records), and, with `--promtool`, promtool checks the rules, runs their unit tests and parses each
 * dashboard query. `--write` writes the dashboard first.
 */
async function main(): Promise<void> {
  const options = new Command()
    .option('--write', 'write deploy/grafana/temporal-cascade.json from cascade-dashboard.ts first')
    .option('--promtool <path>', "also run promtool's checks and the rules' unit tests")
    .parse()
    .opts<{ write?: boolean; promtool?: string }>();
  if (options.write) await writeFile(observabilityFiles.dashboard, dashboardJson());
  const problems = await observabilityFileProblems();
  if (options.promtool) problems.push(...(await promtoolProblems(options.promtool, dashboardJson())));
  if (problems.length > 0) {
    for (const problem of problems) console.error(`✗ ${problem}`);
    process.exitCode = 1;
    return;
  }
  console.log(
    `ok: the dashboard and the rules parse and name exported metrics${options.promtool ? '; promtool checks and rule tests pass' : ''}`,
  );
}

void main();
