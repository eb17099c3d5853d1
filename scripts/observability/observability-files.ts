import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { ApiMetrics } from '../../api/api-metrics';
import { CascadeMetrics } from '../../operations/metrics/cascade-metrics';
import { cascadeDashboard } from './cascade-dashboard';

const execFileAsync = promisify(execFile);

const projectRoot = join(__dirname, '..', '..');
export const observabilityFiles = {
  dashboard: join(projectRoot, 'deploy', 'grafana', 'temporal-cascade.json'),
  rules: join(projectRoot, 'deploy', 'prometheus', 'cascade-rules.yaml'),
  rulesTest: join(projectRoot, 'deploy', 'prometheus', 'cascade-rules.test.yaml'),
} as const;

/** A PromQL expression of a dashboard panel, a template variable or a rule, and where it is. */
export interface NamedExpression {
  where: string;
  expr: string;
}

/** The dashboard's JSON as it is committed: two-space indentation and a final newline. */
export function dashboardJson(): string {
  return `${JSON.stringify(cascadeDashboard(), null, 2)}\n`;
}

/** The metric names the worker and the API export, histograms with their `_bucket`, `_sum` and `_count`. */
export async function exportedMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const registry of [
    new CascadeMetrics({ routeNames: [], processMetrics: false }).registry,
    new ApiMetrics().registry,
  ]) {
    for (const metric of await registry.getMetricsAsJSON()) {
      names.add(metric.name);
      if (String(metric.type) === 'histogram') {
        for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
      }
    }
  }
  return names;
}

interface RulesFile {
  groups: Array<{ name: string; rules: Array<{ record?: string; alert?: string; expr: string }> }>;
}

export function parseRulesFile(text: string): RulesFile {
  return parseYaml(text) as RulesFile;
}

/** Every expression of the dashboard's panels and of the rules file, named by where it is. */
export function expressionsOf(dashboardText: string, rules: RulesFile): NamedExpression[] {
  const dashboard = JSON.parse(dashboardText) as {
    panels?: Array<{ title?: string; targets?: Array<{ expr?: string; refId?: string }> }>;
  };
  const fromPanels = (dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? [])
      .filter((target) => target.expr !== undefined)
      .map((target) => ({ where: `panel "${panel.title}" query ${target.refId}`, expr: target.expr! })),
  );
  const fromRules = rules.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `rule ${rule.record ?? rule.alert} (${group.name})`, expr: rule.expr })),
  );
  return [...fromPanels, ...fromRules];
}

/** Grafana's template variables replaced by values PromQL parses. */
export function withoutTemplateVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$__range', '1h').replaceAll('$route', '.*');
}

/**
 * The problems of the expressions: a syntax error, or a metric neither the worker nor the API exports nor
 * a recording rule records (a dashboard or an alert that would stay empty).
 */
export function expressionProblems(expressions: NamedExpression[], knownNames: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const { where, expr } of expressions) {
    const text = withoutTemplateVariables(expr);
    const tree = parser.parse(text);
    let syntaxError: number | undefined;
    const metrics: string[] = [];
    tree.iterate({
      enter(node) {
        if (node.type.isError && syntaxError === undefined) syntaxError = node.from;
        if (node.name === 'VectorSelector') {
          const identifier = node.node.getChild('Identifier');
          if (identifier) metrics.push(text.slice(identifier.from, identifier.to));
        }
      },
    });
    if (syntaxError !== undefined) problems.push(`${where}: PromQL syntax error at character ${syntaxError}: ${expr}`);
    for (const metric of new Set(metrics)) {
      if (!knownNames.has(metric)) problems.push(`${where}: no metric "${metric}" is exported or recorded`);
    }
  }
  return problems;
}

/** Runs promtool's own checks: the rules file, its unit tests, and each dashboard query as a rule. */
export async function promtoolProblems(promtool: string, dashboardText: string): Promise<string[]> {
  const problems: string[] = [];
  const run = async (what: string, args: string[]) => {
    try {
      await execFileAsync(promtool, args, { cwd: join(projectRoot, 'deploy', 'prometheus') });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string; message: string };
      problems.push(`${what}: ${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim() || failure.message);
    }
  };
  await run('promtool check rules', ['check', 'rules', observabilityFiles.rules]);
  await run('promtool test rules', ['test', 'rules', observabilityFiles.rulesTest]);
  const directory = await mkdtemp(join(tmpdir(), 'cascade-dashboard-queries-'));
  try {
    const queries = expressionsOf(dashboardText, { groups: [] });
    const asRules = {
      groups: [
        {
          name: 'dashboard-queries',
          rules: queries.map((query, index) => ({
            record: `dashboard:query_${index}`,
            expr: withoutTemplateVariables(query.expr),
          })),
        },
      ],
    };
    const path = join(directory, 'dashboard-queries.yaml');
    await writeFile(path, stringifyYaml(asRules));
    await run('promtool check rules (the dashboard queries)', ['check', 'rules', path]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return problems;
}

/** Everything that can be wrong with the committed files, without promtool. */
export async function observabilityFileProblems(): Promise<string[]> {
  const problems: string[] = [];
  const committed = await readFile(observabilityFiles.dashboard, 'utf8');
  if (committed !== dashboardJson()) {
    problems.push(
      'deploy/grafana/temporal-cascade.json is not what scripts/observability/cascade-dashboard.ts builds: run `npx tsx scripts/observability/check-observability-files.ts --write`',
    );
  }
  const rules = parseRulesFile(await readFile(observabilityFiles.rules, 'utf8'));
  const known = await exportedMetricNames();
  for (const group of rules.groups) for (const rule of group.rules) if (rule.record) known.add(rule.record);
  problems.push(...expressionProblems(expressionsOf(committed, rules), known));
  return problems;
}
