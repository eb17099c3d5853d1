import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CascadeRequest } from '../contracts/cascade/cascade-request';
import type { ChatMessage } from '../contracts/cascade/chat-message';
import { CascadeClient } from '../client/cascade-client';
import { InvalidCascadeRequestError } from '../client/cascade-errors';
import { resolveConfigPath } from '../config/config-path';
import { loadConfig } from '../config/load-config';
import { formatUsd } from '../contracts/cascade/describe-outcome';
import { budgetLabel } from '../contracts/cascade/budget';
import { printReport, reportFailure } from './command-output';
import { readMessageFile } from './message-file';
import { tracingFromEnvironment, type CascadeTracing } from '../operations/tracing/cascade-tracing';

interface RunCommandOptions {
  route: string;
  message?: string;
  messageFile?: string;
  system?: string;
  requestId?: string;
  outputSchema?: string;
  tag: string[];
  config?: string;
  address?: string;
  namespace?: string;
  taskQueue?: string;
  wait: boolean;
  json: boolean;
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run one request through a cascade and print the answer')
    .requiredOption('-r, --route <route>', 'route name')
    .option('-m, --message <text>', 'the user message (- reads it from stdin)')
    .option('--message-file <file>', 'read the user message from a UTF-8 file (- for stdin)')
    .option('-s, --system <text>', 'a system message')
    .option('--request-id <id>', 'idempotency key: the same id returns the first answer (default: a new id)')
    .option('--output-schema <file>', 'JSON Schema file the answer must match')
    .option('-t, --tag <key=value>', 'cost attribution tag, repeatable (customer=acme)', collect, [])
    .option(
      '-c, --config <file>',
      'routes file (default: $CASCADE_CONFIG or ./cascade.config.yaml); checks the route before starting',
    )
    .option('--address <host:port>', 'Temporal address (default: $TEMPORAL_ADDRESS or localhost:7233)')
    .option('--namespace <namespace>', 'Temporal namespace (default: $TEMPORAL_NAMESPACE or default)')
    .option('--task-queue <queue>', 'task queue', 'cascade')
    .option('--no-wait', 'start and print the workflow id without waiting for the answer')
    .option('--json', 'print one JSON object', false)
    .action(async (options: RunCommandOptions) => {
      process.exitCode = await runCommand(options);
    });
}

async function runCommand(options: RunCommandOptions): Promise<number> {
  let client: CascadeClient | undefined;
  let tracing: CascadeTracing | undefined;
  try {
    const request = buildRequest(options, await userMessageOf(options));
    const configPath = resolveConfigPath(options.config);
    const routes = configPath ? loadConfig({ path: configPath }) : undefined;
    tracing = tracingFromEnvironment(process.env, { serviceName: 'temporal-cascade-client' });
    client = await CascadeClient.connect({
      tracing,
      address: options.address,
      namespace: options.namespace,
      routes,
      taskQueue: options.taskQueue,
    });
    if (!options.wait) {
      const started = await client.start(request);
      printReport({
        json: options.json,
        report: started,
        text: () => `${started.existing ? 'already started' : 'started'}: ${started.workflowId}`,
      });
      return 0;
    }
    const result = await client.run(request);
    printReport({
      json: options.json,
      report: result,
      text: () =>
        [
          result.answer.text,
          '',
          `${result.outcome}${result.escalationReason ? ` (${result.escalationReason})` : ''} · ${result.answer.tier} · ${result.answer.model} · ${formatUsd(result.cost.totalUsd)} (flagship-only ${formatUsd(result.cost.flagshipOnlyUsd)}) · workflow ${result.workflowId}${result.existing ? ' (earlier answer)' : ''}`,
          ...(result.budget?.deciding
            ? [
                `budget ${budgetLabel(result.budget.deciding.limit)}: ${formatUsd(result.budget.deciding.spentUsd)} spent, ${result.budget.state === 'hard' ? `at its hard cap (${result.budget.action})` : 'past its soft cap'}`,
              ]
            : []),
        ].join('\n'),
    });
    return 0;
  } catch (error) {
    return reportFailure(error, { json: options.json });
  } finally {
    await client?.close();
    await tracing?.shutdown();
  }
}

/** The user message: `--message` text, or a file's or stdin's text (`--message-file`, `-`), checked to be UTF-8. */
async function userMessageOf(options: RunCommandOptions): Promise<string> {
  if ((options.message === undefined) === (options.messageFile === undefined)) {
    throw new InvalidCascadeRequestError({
      message:
        'invalid cascade request: give the user message with one of --message TEXT or --message-file FILE (- for stdin)',
    });
  }
  if (options.messageFile !== undefined)
    return readMessageFile({ path: options.messageFile, option: '--message-file' });
  if (options.message === '-') return readMessageFile({ path: '-', option: '--message' });
  return options.message!;
}

function buildRequest(options: RunCommandOptions, userMessage: string): CascadeRequest {
  const messages: ChatMessage[] = [];
  if (options.system) messages.push({ role: 'system', content: options.system });
  messages.push({ role: 'user', content: userMessage });
  const tags: Record<string, string> = {};
  for (const pair of options.tag) {
    const separator = pair.indexOf('=');
    if (separator <= 0)
      throw new InvalidCascadeRequestError({
        message: `invalid cascade request: --tag ${JSON.stringify(pair)} must look like key=value`,
      });
    tags[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return {
    requestId: options.requestId ?? randomUUID(),
    route: options.route,
    messages,
    ...(options.outputSchema ? { outputSchema: readSchema(options.outputSchema) } : {}),
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
  };
}

function readSchema(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidCascadeRequestError({
      message: `invalid cascade request: --output-schema ${path}: ${(error as Error).message}`,
    });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidCascadeRequestError({
      message: `invalid cascade request: --output-schema ${path}: must hold a JSON object`,
    });
  }
  return parsed as Record<string, unknown>;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
