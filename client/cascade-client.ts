import {
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import {
  cascadeRequestSchema,
  cascadeWorkflowType,
  defaultTaskQueue,
  describeIssues,
  type CascadeRequest,
  type CascadeWorkflowInput,
} from '../contracts/cascade/cascade-request';
import type { DataConverter } from '@temporalio/common';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { searchAttributes } from '../contracts/search-attributes';
import type { RouteCatalog } from '../config/route-catalog';
import { connectTemporalClient } from './connect-temporal';
import { CascadeFailedError, InvalidCascadeRequestError } from './cascade-errors';
import type { cascade } from '../workflows/cascade';

export interface CascadeClientOptions {
  /** A connected Temporal client. */
  client: Client;
  /**
   * The routes, to check the route name before anything starts and to put the resolved policy into the
   * workflow input (so the history shows what ran). Without it the worker resolves the route.
   */
  routes?: RouteCatalog;
  /** @default 'cascade' */
  taskQueue?: string;
}

export interface StartedCascade {
  workflowId: string;
  /** True when a cascade of this request id had already been started: nothing new was started or billed. */
  existing: boolean;
}

/** The workflow id of a request: one request id, one execution. */
export function workflowIdOf(requestId: string): string {
  return `cascade-${requestId}`;
}

/**
 * Starts cascades and awaits their answers. A request id maps to one workflow id, so submitting the
 * same request twice returns the first execution's answer instead of paying twice (a failed cascade
 * may be started again under the same id).
 */
export class CascadeClient {
  private readonly client: Client;
  private readonly routes: RouteCatalog | undefined;
  private readonly taskQueue: string;

  constructor(options: CascadeClientOptions) {
    this.client = options.client;
    this.routes = options.routes;
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
    } = {},
  ): Promise<CascadeClient> {
    return new CascadeClient({
      client: await connectTemporalClient(options),
      routes: options.routes,
      taskQueue: options.taskQueue,
    });
  }

  /** Validates the request and starts its cascade; returns at once with the workflow id. */
  async start(request: CascadeRequest): Promise<StartedCascade> {
    const input = this.prepare(request);
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
        staticDetails: describeStart(input),
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

  private prepare(request: CascadeRequest): CascadeWorkflowInput {
    const parsed = cascadeRequestSchema.safeParse(request);
    if (!parsed.success)
      throw new InvalidCascadeRequestError({ message: `invalid cascade request: ${describeIssues(parsed.error)}` });
    if (!this.routes) return parsed.data;
    return { ...parsed.data, policy: this.routes.get(parsed.data.route) };
  }
}

function describeStart(input: CascadeWorkflowInput): string {
  const lines = [`**route** ${input.route}`, `**request** ${input.requestId}`];
  if (input.policy?.mode === 'flagship-only') {
    // The cheap tier and the gate stay in the policy but are never called: naming them would mislead.
    lines.push(`**flagship** ${input.policy.flagship.model.model} (flagship-only route)`);
  } else if (input.policy) {
    lines.push(
      `**cheap** ${input.policy.cheap.model.model} → **flagship** ${input.policy.flagship.model.model}`,
      `**gate** ${input.policy.gate.kind}`,
    );
  }
  for (const [key, value] of Object.entries(input.tags ?? {})) lines.push(`**${key}** ${value}`);
  return lines.join('\n');
}
