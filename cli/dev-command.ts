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
        '',
        `Try: npx cascade run --route support-ticket --message "I was charged twice" --config ${demoFiles.routes}`,
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
