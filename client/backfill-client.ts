import { Client, WorkflowFailedError, WorkflowNotFoundError, type WorkflowHandle } from '@temporalio/client';
import {
  backfillJobInputSchema,
  backfillWorkflowIdOf,
  backfillWorkflowType,
  type BackfillJobInput,
  type BackfillProgress,
} from '../contracts/backfill/backfill-job';
import { defaultTaskQueue, describeIssues, requestIdPattern } from '../contracts/cascade/cascade-request';
import { CascadeError } from '../contracts/cascade-error';
import { applicationFailureOf } from '../contracts/cause-chain';
import { failureTypes } from '../contracts/failure-types';
import type { RouteCatalog } from '../config/route-catalog';
import type { backfill } from '../workflows/backfill';
import { cancelUpdate, pauseUpdate, progressQuery, resumeUpdate } from '../workflows/backfill-messages';

/** The job's settings as a starter gives them; the carried state is the workflow's own. */
export type BackfillJobOptions = Omit<BackfillJobInput, 'carried'>;

/** A job that does not pass validation, or that cannot do what was asked (retry a running job). */
export class InvalidBackfillJobError extends CascadeError {
  declare readonly type: typeof failureTypes.invalidRequest;
  override readonly name = 'InvalidBackfillJobError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.invalidRequest });
  }
}

/** The job itself failed (its source could not be read, say); `message` carries the workflow's failure. */
export class BackfillJobFailedError extends CascadeError {
  declare readonly type: typeof failureTypes.backfillJobFailed;
  override readonly name = 'BackfillJobFailedError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.backfillJobFailed });
  }
}

/** No job of that name: nothing to show, pause or cancel. */
export class BackfillJobNotFoundError extends CascadeError {
  declare readonly type: typeof failureTypes.backfillJobNotFound;
  override readonly name = 'BackfillJobNotFoundError';

  constructor(options: { message: string; cause?: unknown }) {
    super({ ...options, type: failureTypes.backfillJobNotFound });
  }
}

export interface StartedBackfill {
  jobId: string;
  workflowId: string;
  /** True when the job was already running: the starter joined it instead of starting another. */
  existing: boolean;
}

export interface BackfillClientOptions {
  client: Client;
  /** Checks the job's route before anything starts. */
  routes?: RouteCatalog;
  /** @default 'cascade' */
  taskQueue?: string;
}

/**
 * Starts back-fill jobs and follows them: progress, pause, resume, cancel, the final summary, and a
 * retry of a finished job's failures. Works from any machine that reaches Temporal: a job is known by
 * its name alone.
 */
export class BackfillClient {
  private readonly client: Client;
  private readonly routes: RouteCatalog | undefined;
  private readonly taskQueue: string;

  constructor(options: BackfillClientOptions) {
    this.client = options.client;
    this.routes = options.routes;
    this.taskQueue = options.taskQueue ?? defaultTaskQueue;
  }

  /**
   * Starts a job, or joins it when a job of that name is running. Starting the name of a finished job
   * runs it again over its source: cascades that finished before are counted, not paid again.
   */
  async start(options: BackfillJobOptions): Promise<StartedBackfill> {
    const parsed = backfillJobInputSchema.safeParse(options);
    if (!parsed.success)
      throw new InvalidBackfillJobError({ message: `invalid back-fill job: ${describeIssues(parsed.error)}` });
    if (this.routes) this.routes.get(parsed.data.route);
    const workflowId = backfillWorkflowIdOf(parsed.data.jobId);
    if ((await this.statusOf(workflowId)) === 'RUNNING')
      return { jobId: parsed.data.jobId, workflowId, existing: true };
    await this.client.workflow.start<typeof backfill>(backfillWorkflowType, {
      taskQueue: this.taskQueue,
      workflowId,
      args: [parsed.data],
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `back-fill ${parsed.data.jobId} · ${parsed.data.route} · ${parsed.data.source.kind}`,
      staticDetails: describeJob(parsed.data),
    });
    return { jobId: parsed.data.jobId, workflowId, existing: false };
  }

  /** The job's progress: asked of the running job, or its final summary once it has ended. */
  async progress(jobId: string): Promise<BackfillProgress> {
    const handle = this.handleOf(jobId);
    const status = await this.statusOf(handle.workflowId);
    if (status === undefined) throw new BackfillJobNotFoundError({ message: `no back-fill job named ${jobId}` });
    if (status === 'RUNNING') return handle.query(progressQuery);
    if (status === 'COMPLETED') return handle.result();
    if (status === 'FAILED') {
      const failure = await handle.result().then(
        () => undefined,
        (error: unknown) => error,
      );
      throw new BackfillJobFailedError({
        message: `back-fill job ${jobId} failed: ${applicationMessageOf(failure)} (workflow ${handle.workflowId})`,
      });
    }
    throw new BackfillJobNotFoundError({
      message: `back-fill job ${jobId} ended as ${status.toLowerCase()}, without a summary; its history is in workflow ${handle.workflowId}`,
    });
  }

  /**
   * Waits for the job to end and returns its summary; a job that failed throws `BackfillJobFailedError`
   * naming its root cause (an unreadable source, say), not only that the workflow failed.
   */
  async result(jobId: string): Promise<BackfillProgress> {
    const handle = this.handleOf(jobId);
    try {
      return await handle.result();
    } catch (error) {
      if (!(error instanceof WorkflowFailedError)) throw error;
      throw new BackfillJobFailedError({
        message: `back-fill job ${jobId} failed: ${applicationMessageOf(error)} (workflow ${handle.workflowId})`,
        cause: error,
      });
    }
  }

  /** Stops starting new cascades; those in flight finish. */
  async pause(jobId: string): Promise<BackfillProgress> {
    return this.handleOf(jobId).executeUpdate(pauseUpdate);
  }

  async resume(jobId: string): Promise<BackfillProgress> {
    return this.handleOf(jobId).executeUpdate(resumeUpdate);
  }

  /** Ends the job gracefully: no new cascades; those in flight finish and are counted. */
  async cancel(jobId: string): Promise<BackfillProgress> {
    return this.handleOf(jobId).executeUpdate(cancelUpdate);
  }

  /**
   * Starts a job over the failed requests of a finished job (`<job>-retry-<n>`), on the same source and
   * route. Rows that could not be read as requests are not retried: fix them in the source.
   */
  async retryFailures(
    jobId: string,
    overrides: Partial<Pick<BackfillJobOptions, 'concurrency' | 'ratePerSecond'>> = {},
  ): Promise<StartedBackfill & { requests: number }> {
    const handle = this.handleOf(jobId);
    const status = await this.statusOf(handle.workflowId);
    if (status === undefined) throw new BackfillJobNotFoundError({ message: `no back-fill job named ${jobId}` });
    if (status !== 'COMPLETED')
      throw new InvalidBackfillJobError({
        message: `back-fill job ${jobId} is ${status.toLowerCase()}: retry its failures once it has ended`,
      });
    const summary = await handle.result();
    const input = await this.firstInputOf(handle);
    if (!input)
      throw new BackfillJobNotFoundError({ message: `the input of back-fill job ${jobId} could not be read` });
    const requestIds = [
      ...new Set(
        summary.failures.map((failure) => failure.requestId).filter((requestId) => requestIdPattern.test(requestId)),
      ),
    ];
    if (summary.failuresNotListed > 0) {
      throw new InvalidBackfillJobError({
        message: `back-fill job ${jobId} had ${summary.failuresNotListed} failures beyond the ${summary.failures.length} it lists; retry them from the source (a table's failed rows) instead`,
      });
    }
    if (requestIds.length === 0)
      throw new InvalidBackfillJobError({ message: `back-fill job ${jobId} has no failed requests to retry` });
    const retryJobId = await this.nextRetryName(jobId);
    const started = await this.start({
      ...input,
      jobId: retryJobId,
      onlyRequestIds: requestIds,
      startPaused: false,
      ...overrides,
    });
    return { ...started, requests: requestIds.length };
  }

  /** The Temporal client underneath. */
  get temporal(): Client {
    return this.client;
  }

  private handleOf(jobId: string): WorkflowHandle<typeof backfill> {
    return this.client.workflow.getHandle<typeof backfill>(backfillWorkflowIdOf(jobId));
  }

  private async statusOf(workflowId: string): Promise<string | undefined> {
    try {
      return (await this.client.workflow.getHandle(workflowId).describe()).status.name;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return undefined;
      throw error;
    }
  }

  /** The settings the job's first run started with (the chain's first event). */
  private async firstInputOf(handle: WorkflowHandle<typeof backfill>): Promise<BackfillJobOptions | undefined> {
    const description = await handle.describe();
    const firstRunId = description.raw.workflowExecutionInfo?.firstRunId ?? undefined;
    const history = await this.client.workflow.getHandle(handle.workflowId, firstRunId ?? undefined).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    if (!payload) return undefined;
    const input = (await this.client.options.loadedDataConverter.payloadConverter.fromPayload(
      payload,
    )) as BackfillJobInput;
    const { carried: _carried, onlyRequestIds: _only, ...settings } = input;
    return settings;
  }

  private async nextRetryName(jobId: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const candidate = `${jobId}-retry-${attempt}`;
      if ((await this.statusOf(backfillWorkflowIdOf(candidate))) === undefined) return candidate;
    }
  }
}

/** The message of the first application failure under the workflow's (the source's error, say), else the outermost. */
function applicationMessageOf(error: unknown): string {
  const failure = applicationFailureOf(error);
  if (failure) return failure.type ? `${failure.type}: ${failure.message}` : failure.message;
  return error instanceof Error ? error.message : String(error);
}

function describeJob(job: BackfillJobOptions): string {
  const source = Object.entries(job.source)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
  return [
    `**job** ${job.jobId}`,
    `**route** ${job.route}`,
    `**source** ${source}`,
    `**concurrency** ${job.concurrency}${job.ratePerSecond ? ` · at most ${job.ratePerSecond}/s` : ''}`,
    ...(job.onlyRequestIds ? [`**retry of** ${job.onlyRequestIds.length} requests`] : []),
  ].join('\n');
}
