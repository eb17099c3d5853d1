import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import {
  cascadeRequestSchema,
  cascadeWorkflowType,
  defaultTaskQueue,
  describeIssues,
  type CascadeRequest,
  type CascadeWorkflowInput,
  workflowIdOf,
} from '../contracts/cascade/cascade-request';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import {
  defaultMaximumRequestBytes,
  messageTextProblems,
  requestPayloadLimitBytes,
  temporalPayloadLimitBytes,
} from '../contracts/cascade/message-text-problems';
import type { RoutePolicy } from '../contracts/cascade/route-policy';
import { searchAttributes } from '../contracts/search-attributes';
import type { RouteCatalog } from '../config/route-catalog';
import { connectTemporalClient } from './connect-temporal';
import type { CascadeTracing } from '../operations/tracing/cascade-tracing';
import { CascadeFailedError, InvalidCascadeRequestError } from './cascade-errors';
import type { cascade } from '../workflows/cascade';

export interface CascadeClientOptions {
  /** A connected Temporal client. */
  client: Client;
  /** The routes, to check a request's route name before anything starts. @default no check here (the worker's) */
  routes?: RouteCatalog;
  /**
   * Put the route's policy from `routes` into the workflow input, as evaluation runs do to measure a
   * variant (other models, a tuned gate). The worker runs it only if its own configuration allows it
   * (`PolicyRejected` otherwise). @default false: the worker resolves the route from its configuration
   */
  sendPolicy?: boolean;
  /** @default 'cascade' */
  taskQueue?: string;
}

export interface StartedCascade {
  workflowId: string;
  /** True when a cascade of this request id had already been started: nothing new was started or billed. */
  existing: boolean;
}

export { workflowIdOf } from '../contracts/cascade/cascade-request';

/**
 * Starts cascades and awaits their answers. A request id maps to one workflow id, so submitting the
 * same request twice returns the first execution's answer instead of paying twice (a failed cascade
 * may be started again under the same id).
 */
export class CascadeClient {
  private readonly client: Client;
  private readonly routes: RouteCatalog | undefined;
  private readonly sendPolicy: boolean;
  private readonly taskQueue: string;

  constructor(options: CascadeClientOptions) {
    this.client = options.client;
    this.routes = options.routes;
    this.sendPolicy = options.sendPolicy ?? false;
    this.taskQueue = options.taskQueue ?? defaultTaskQueue;
  }

  /** Connects with Temporal's environment conventions (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`, TLS, API key). */
  static async connect(
    options: {
      address?: string;
      namespace?: string;
      routes?: RouteCatalog;
      taskQueue?: string;
      dataConverter?: DataConverter;
      /** Traces each start (see `tracingFromEnvironment`). @default none */
      tracing?: CascadeTracing;
    } = {},
  ): Promise<CascadeClient> {
    return new CascadeClient({
      client: await connectTemporalClient(options),
      routes: options.routes,
      taskQueue: options.taskQueue,
    });
  }

  /**
   * Validates the request and starts its cascade; returns at once with the workflow id. `memo` is kept
   * with the workflow (encoded as its payloads are), for the starter's own bookkeeping.
   */
  async start(request: CascadeRequest, options: { memo?: Record<string, unknown> } = {}): Promise<StartedCascade> {
    const { input, policy } = this.prepare(request);
    const workflowId = workflowIdOf(input.requestId);
    try {
      await this.client.workflow.start<typeof cascade>(cascadeWorkflowType, {
        taskQueue: this.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        typedSearchAttributes: [
          { key: searchAttributes.route, value: input.route },
          ...(input.tags?.customer ? [{ key: searchAttributes.customer, value: input.tags.customer }] : []),
        ],
        staticSummary: `${input.route} · request ${input.requestId}`,
        staticDetails: describeStart(input, policy),
        ...(options.memo ? { memo: options.memo } : {}),
      });
      return { workflowId, existing: false };
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return { workflowId, existing: true };
      throw error;
    }
  }

  /** Awaits a cascade's answer; throws `CascadeFailedError` with the failure's stable type. */
  async result(workflowId: string): Promise<CascadeResult> {
    const handle: WorkflowHandle<typeof cascade> = this.client.workflow.getHandle(workflowId);
    try {
      return await handle.result();
    } catch (error) {
      if (error instanceof WorkflowFailedError) throw CascadeFailedError.fromWorkflowFailure(workflowId, error.cause);
      throw error;
    }
  }

  /** Starts (or joins) the cascade of a request and awaits its answer. */
  async run(request: CascadeRequest): Promise<CascadeResult & { workflowId: string; existing: boolean }> {
    const started = await this.start(request);
    const result = await this.result(started.workflowId);
    return { ...result, workflowId: started.workflowId, existing: started.existing };
  }

  /** The Temporal client underneath, for what this class does not wrap. */
  get temporal(): Client {
    return this.client;
  }

  async close(): Promise<void> {
    await this.client.connection.close();
  }

  /**
   * The workflow input of a request, checked as the workflow will check it (fields, message text and
   * size) so a bad request is refused before anything starts, and the route's policy in this client's
   * routes, if it has them.
   */
  private prepare(request: CascadeRequest): { input: CascadeWorkflowInput; policy: RoutePolicy | undefined } {
    const parsed = cascadeRequestSchema.safeParse(request);
    if (!parsed.success)
      throw new InvalidCascadeRequestError({ message: `invalid cascade request: ${describeIssues(parsed.error)}` });
    const policy = this.routes?.get(parsed.data.route);
    const problems = messageTextProblems(
      parsed.data.messages,
      this.routes?.limits.maximumRequestBytes ?? defaultMaximumRequestBytes,
    );
    if (problems.length > 0)
      throw new InvalidCascadeRequestError({ message: `invalid cascade request: ${problems.join('; ')}` });
    const input = policy && this.sendPolicy ? { ...parsed.data, policy } : parsed.data;
    const bytes = Buffer.byteLength(JSON.stringify(input));
    if (bytes > requestPayloadLimitBytes)
      throw new InvalidCascadeRequestError({
        message: `invalid cascade request: the request is ${bytes} bytes as JSON, above the ${requestPayloadLimitBytes} bytes a workflow input may take (Temporal's payload limit of ${temporalPayloadLimitBytes} bytes, less room for the history's other fields)`,
      });
    return { input, policy };
  }
}

/** The start's details in the Web UI: the route as this client's routes file has it (the worker's resolution is in the history). */
function describeStart(input: CascadeWorkflowInput, policy: RoutePolicy | undefined): string {
  const lines = [`**route** ${input.route}`, `**request** ${input.requestId}`];
  if (policy?.mode === 'flagship-only') {
    // The cheap tier and the gate stay in the policy but are never called: naming them would mislead.
    lines.push(`**flagship** ${policy.flagship.model.model} (flagship-only route)`);
  } else if (policy) {
    lines.push(
      `**cheap** ${policy.cheap.model.model} → **flagship** ${policy.flagship.model.model}`,
      `**gate** ${policy.gate.kind}`,
    );
  }
  for (const [key, value] of Object.entries(input.tags ?? {})) lines.push(`**${key}** ${value}`);
  return lines.join('\n');
}
