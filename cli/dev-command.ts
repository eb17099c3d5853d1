import { Option, type Command } from 'commander';
import { resolveConfigPath } from '../config/config-path';
import { createLogger } from '../workers/pino-logger';
import { reportFailure } from './command-output';
import { demoFiles, startLocalStack } from '../local-stack/local-stack';
import { parseNonNegativeInteger } from './option-parsers';

interface DevCommandOptions {
  config?: string;
  models?: string;
  dataset: string[];
  modelServer: boolean;
  modelServerPort: number;
  port: number;
  uiPort: number;
  apiPort: number;
  metricsPort: number;
}

export function registerDevCommand(program: Command): void {
  program
    .command('dev')
    .description('run a Temporal dev server (Web UI on), the local model server and a cascade worker until Ctrl-C')
    .option('-c, --config <file>', 'routes file (default: $CASCADE_CONFIG, ./cascade.config.yaml, or the demo routes)')
    .option('--models <file>', 'scripted models of the local model server', demoFiles.models)
    .option(
      '--dataset <file>',
      'replay dataset of the local model server (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--no-model-server', 'start no local model server (the routes call real providers)')
    .addOption(
      new Option('--model-server-port <port>', 'local model server port')
        .argParser(parseNonNegativeInteger)
        .default(8787),
    )
    .addOption(new Option('--port <port>', 'Temporal gRPC port').argParser(parseNonNegativeInteger).default(7233))
    .addOption(new Option('--ui-port <port>', 'Temporal Web UI port').argParser(parseNonNegativeInteger).default(8233))
    .addOption(
      new Option('--api-port <port>', 'port of the OpenAI-compatible API (0 picks a free one)')
        .argParser(parseNonNegativeInteger)
        .default(8080),
    )
    .addOption(
      new Option('--metrics-port <port>', 'port of the Prometheus metrics (0 picks a free one)')
        .argParser(parseNonNegativeInteger)
        .default(9464),
    )
    .action(async (options: DevCommandOptions) => {
      process.exitCode = await devCommand(options);
    });
}

async function devCommand(options: DevCommandOptions): Promise<number> {
  const logger = createLogger();
  try {
    const stack = await startLocalStack({
      logger,
      configPath: resolveConfigPath(options.config) ?? demoFiles.routes,
      modelsPath: options.models,
      datasetPaths: options.dataset.length > 0 ? options.dataset : undefined,
      withoutModelServer: !options.modelServer,
      modelServerPort: options.modelServerPort,
      temporalPort: options.port,
      uiPort: options.uiPort,
      apiPort: options.apiPort,
      metricsPort: options.metricsPort,
      onBuildProgress: (line) => process.stderr.write(`  ${line}\n`),
    });
    process.stderr.write(
      [
        '',
        `Temporal      ${stack.temporal.address} (namespace ${stack.temporal.namespace})`,
        `Web UI        ${stack.temporal.uiUrl ?? '(none)'}`,
        `Model server  ${stack.modelServerUrl ?? '(not started)'}`,
        ...(stack.codecServerUrl
          ? [`Codec server  ${stack.codecServerUrl} (payloads encrypted; the Web UI decodes through it)`]
          : []),
        `Routes        ${stack.routes.names().join(', ')}`,
        `OpenAI-compatible API at ${stack.apiUrl}`,
        stack.apiCallerCount > 0
          ? `              callers send their key (the routes file's api.callers) as Authorization: Bearer KEY`
          : '              no key required: it listens on loopback only, and the routes file names no api.callers',
        `Prometheus metrics at ${stack.metricsUrl}`,
        '',
        `Try: npx cascade run --route support-ticket --message "I was charged twice" --config ${demoFiles.routes}`,
        `  or: curl ${stack.apiUrl}/chat/completions -H 'content-type: application/json' -d '{"model":"${stack.routes.names()[0]}","messages":[{"role":"user","content":"I was charged twice"}]}'`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await stack.running;
    await stack.stop();
    return 0;
  } catch (error) {
    return reportFailure(error, { json: false });
  }
}
