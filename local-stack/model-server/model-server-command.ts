import { Command, InvalidArgumentError } from 'commander';
import pino, { type Logger } from 'pino';
import { createModelServer, type ModelServer } from './model-server';
import { loadScriptedModelsFile } from './scripted-models-file';

export interface ModelServerCommandOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 8787 */
  port?: number;
  /** A YAML or JSON file of scripted models (`models: [...]`). @default none */
  modelsFile?: string;
  /** Replay dataset files (JSONL, gzipped or not). @default [] */
  datasetPaths?: string[];
  /** A replayed answer waits `latency_ms × latencyScale` ms. @default 0 */
  latencyScale?: number;
  /** When set, `/v1/*` requests need `Authorization: Bearer <apiKey>`. @default no check */
  apiKey?: string;
  /** @default pino logging to stdout at `info` */
  logger?: Logger;
  /** Stop on SIGINT and SIGTERM. @default true */
  handleSignals?: boolean;
}

export interface RunningModelServerCommand {
  url: string;
  port: number;
  server: ModelServer;
  /** Stops the server (and removes the signal handlers). */
  stop(): Promise<void>;
  /** Settles when the server has stopped, by `stop()` or a signal. */
  stopped: Promise<void>;
}

/** Starts a model server for the command line: loads the files, listens, logs the URL, stops on a signal. */
export async function runModelServerCommand(options: ModelServerCommandOptions): Promise<RunningModelServerCommand> {
  const logger = options.logger ?? pino({ name: 'model-server' });
  const datasetPaths = options.datasetPaths ?? [];
  if (options.modelsFile === undefined && datasetPaths.length === 0) {
    throw new Error('the model server has nothing to serve: give a models file, a dataset, or both');
  }
  const models = options.modelsFile === undefined ? [] : await loadScriptedModelsFile(options.modelsFile);
  const server = createModelServer({
    models,
    datasets: datasetPaths,
    latencyScale: options.latencyScale,
    apiKey: options.apiKey,
    logger,
  });
  const started = await server.start({ host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
  logger.info({ url: started.url, models: started.modelIds }, `local model server listening on ${started.url}`);

  let markStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (markStopped = resolve));
  const signals: NodeJS.Signals[] = options.handleSignals === false ? [] : ['SIGINT', 'SIGTERM'];
  const stop = async (): Promise<void> => {
    for (const signal of signals) process.off(signal, onSignal);
    await server.stop();
    markStopped();
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'local model server stopping');
    void stop();
  };
  for (const signal of signals) process.once(signal, onSignal);
  return { url: started.url, port: started.port, server, stop, stopped };
}

/** The `model-server` command: its flags mirror `ModelServerCommandOptions`. */
export function modelServerCommand(): Command {
  return new Command('model-server')
    .description('serve scripted and recorded models over an OpenAI-compatible HTTP API')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parseNonNegativeInteger, 8787)
    .option('--models <file>', 'YAML or JSON file of scripted models')
    .option('--dataset <file>', 'replay dataset, JSONL or JSONL.gz (repeatable)', collect, [] as string[])
    .option('--latency-scale <factor>', 'replayed answers wait latency_ms times this factor', parseNonNegativeNumber, 0)
    .option('--api-key <key>', 'require Authorization: Bearer <key> on /v1 requests')
    .action(
      async (flags: {
        host: string;
        port: number;
        models?: string;
        dataset: string[];
        latencyScale: number;
        apiKey?: string;
      }) => {
        const running = await runModelServerCommand({
          host: flags.host,
          port: flags.port,
          modelsFile: flags.models,
          datasetPaths: flags.dataset,
          latencyScale: flags.latencyScale,
          apiKey: flags.apiKey,
        });
        await running.stopped;
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseNonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('must be a whole number, 0 or more');
  return number;
}

function parseNonNegativeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new InvalidArgumentError('must be a number, 0 or more');
  return number;
}
