import { randomBytes } from 'node:crypto';
import { Option, type Command } from 'commander';
import { loadRecordedDataset } from '../evaluation/datasets/recorded-dataset';
import { buildDemoWorkload } from '../local-stack/demo/demo-workload';
import { measureRouteAccuracy, renderRouteAccuracy } from '../local-stack/demo/route-accuracy';
import { runDemoRequests } from '../local-stack/demo/run-demo';
import { awaitDemoCanaries } from '../local-stack/demo/demo-canaries';
import { renderCanaryTable } from '../operations/reporting/report-output';
import { loadRouteTuning } from '../local-stack/demo/tuning-record';
import { renderSummaryTable } from '../operations/reporting/summary-table';
import { createLogger } from '../workers/pino-logger';
import { createProgressBar } from './progress-bar';
import { printReport, reportFailure } from './command-output';
import { parseNonNegativeInteger, parsePositiveInteger } from './option-parsers';
import { demoFiles, startLocalStack } from '../local-stack/local-stack';
import { escalatedQuery, waitForVisibility, webUiLink } from './web-ui-link';

interface DemoCommandOptions {
  requests: number;
  concurrency: number;
  json: boolean;
  exit: boolean;
  metricsPort?: number;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'run mixed requests through real cascades on a local Temporal dev server and the local model server, and print what they did and cost',
    )
    .addOption(new Option('-n, --requests <count>', 'requests to send').argParser(parsePositiveInteger).default(200))
    .addOption(
      new Option('--concurrency <count>', 'cascades in flight at once').argParser(parsePositiveInteger).default(16),
    )
    .option('--json', 'print the summary as one JSON object', false)
    .addOption(
      new Option(
        '--metrics-port <port>',
        'serve Prometheus metrics on this port while the demo runs (0 picks a free one)',
      ).argParser(parseNonNegativeInteger),
    )
    .option('--exit', 'stop at once instead of keeping the Web UI up (the default when not on a terminal)', false)
    .action(async (options: DemoCommandOptions) => {
      process.exitCode = await demoCommand(options);
    });
}

async function demoCommand(options: DemoCommandOptions): Promise<number> {
  // Retries and escalations are the demo's subject: their warnings would bury the table.
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'error' });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined;
  try {
    const tunings = await Promise.all(demoFiles.tuningRecords.map(loadRouteTuning));
    say('Starting Temporal (dev server), the local model server and a worker…');
    stack = await startLocalStack({
      logger,
      modelServerPort: 0,
      metricsPort: options.metricsPort,
      onBuildProgress: (line) => say(`  ${line}`),
    });
    say(
      `Temporal at ${stack.temporal.address}${stack.temporal.uiUrl ? `, Web UI at ${stack.temporal.uiUrl}` : ''}; model server at ${stack.modelServerUrl}`,
    );
    if (stack.metricsUrl) say(`Prometheus metrics at ${stack.metricsUrl}`);

    const runId = `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(2).toString('hex')}`;
    const items = buildDemoWorkload({
      runId,
      requests: options.requests,
      rows: await loadRecordedDataset(demoFiles.dataset),
    });
    const bar = createProgressBar('cascades');
    bar.update(0, items.length);
    const startedAt = performance.now();
    const { report, records } = await runDemoRequests({
      client: stack.client,
      routes: stack.routes,
      items,
      concurrency: options.concurrency,
      onProgress: bar.update,
    });
    bar.stop();
    const elapsedMs = performance.now() - startedAt;
    const accuracyByRoute = measureRouteAccuracy({ items, records, routes: stack.routes, tunings });
    // The canaries run in the background after each answer; the summary waits for them.
    const { summaries: canaries, pending: pendingCanaries } = await awaitDemoCanaries({
      client: stack.client.temporal,
      routes: stack.routes,
      items,
      records,
      timeoutMs: 60_000,
    });

    const workflowIdPrefix = `cascade-demo-${runId}-`;
    const query = escalatedQuery({ workflowIdPrefix });
    const listed = await waitForVisibility({ client: stack.client.temporal, query, expected: report.escalated });
    const link = webUiLink({ uiUrl: stack.temporal.uiUrl, namespace: stack.temporal.namespace, query });
    const summary = {
      ...report,
      accuracyByRoute,
      canaries,
      pendingCanaries,
      runId,
      elapsedMs: Math.round(elapsedMs),
      webUi: { url: link, query, escalatedListed: listed },
    };
    // One accuracy over every route would blend a tuned route with one whose gates see only the answer's form.
    const { accuracy: _blendedAccuracy, ...reportWithoutBlendedAccuracy } = report;

    printReport({
      json: options.json,
      report: summary,
      text: () =>
        [
          renderSummaryTable(reportWithoutBlendedAccuracy, {
            title: `Cascade demo · ${report.requests} requests in ${(elapsedMs / 1000).toFixed(1)} s · run ${runId}`,
            routes: report.routes,
          }),
          ...(accuracyByRoute.length > 0 ? ['', renderRouteAccuracy(accuracyByRoute)] : []),
          ...(canaries.length > 0 ? ['', renderCanaryTable(canaries)] : []),
          ...(pendingCanaries > 0
            ? [
                `  ${pendingCanaries} canaries still running after 60 s are not in the table (cascade report counts them later)`,
              ]
            : []),
          '',
          'Escalated requests of this run in the Temporal Web UI:',
          `  ${link ?? '(no Web UI: set TEMPORAL_UI_URL)'}`,
          `  query: ${query}`,
        ].join('\n'),
    });

    if (!options.exit && !options.json && process.stdout.isTTY && stack.temporal.startedDevServer) {
      say('\nThe dev server and the Web UI stay up so you can look around. Press Ctrl-C to stop.');
      await stack.running;
    }
    return 0;
  } catch (error) {
    return reportFailure(error, { json: options.json });
  } finally {
    await stack?.stop();
  }
}
