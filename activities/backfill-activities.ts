import { Context } from '@temporalio/activity';
import { WorkflowFailedError } from '@temporalio/client';
import type { FinishedRequest, SourceReference } from '../contracts/backfill/backfill-job';
import { finishedFromFailure, finishedFromResult } from '../contracts/backfill/backfill-outcome';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { BackfillSourceError, backfillSourceErrorTypes } from '../operations/backfill/sources/backfill-source-error';
import { openRequestSource } from '../operations/backfill/sources/open-request-source';
import type { RequestOutcome, RequestSource, SourcePage } from '../operations/backfill/sources/request-source';
import { sourceDescriptorSchema } from '../operations/backfill/sources/source-descriptor';
import { defaultRowLimits, type RowLimits } from '../operations/backfill/sources/row-limits';
import { describeIssues } from '../contracts/cascade/cascade-request';
import { toApplicationFailure } from '../contracts/to-application-failure';

export interface BackfillActivityDependencies {
  /**
   * Opens the source a job names (the worker keeps one per source and reuses it).
   * @default the built-in sources (`operations/backfill/sources/open-request-source.ts`)
   */
  openSource?: (reference: SourceReference) => RequestSource;
  /** How large the built-in sources' rows and pages may be. @default defaultRowLimits */
  rowLimits?: RowLimits;
}

/** The built-in sources; a reference they do not know fails the job's activity for good. */
export function openBuiltInSource(reference: SourceReference, rowLimits: RowLimits = defaultRowLimits): RequestSource {
  const parsed = sourceDescriptorSchema.safeParse(reference);
  if (!parsed.success) {
    throw toApplicationFailure(
      new BackfillSourceError({
        type: backfillSourceErrorTypes.invalid,
        message: `invalid back-fill source: ${describeIssues(parsed.error)}`,
      }),
    );
  }
  return openRequestSource(parsed.data, rowLimits);
}

/** How often a wait for an earlier run's cascade tells the server it is alive. */
const heartbeatIntervalMs = 10_000;

/**
 * The activities of back-fill jobs: reading a source in pages, counting it, writing outcomes back,
 * requeueing failed requests for a retry, and waiting for a cascade an earlier run of the job started.
 */
export function createBackfillActivities(dependencies: BackfillActivityDependencies = {}) {
  const openSource =
    dependencies.openSource ?? ((reference: SourceReference) => openBuiltInSource(reference, dependencies.rowLimits));
  const sources = new Map<string, RequestSource>();
  const sourceOf = (reference: SourceReference): RequestSource => {
    const key = JSON.stringify(reference);
    let source = sources.get(key);
    if (!source) {
      source = openSource(reference);
      sources.set(key, source);
    }
    return source;
  };

  return {
    async readBacklogPage(input: {
      source: SourceReference;
      cursor?: string;
      limit: number;
      onlyRequestIds?: string[];
    }): Promise<SourcePage> {
      const page = await withStableFailures(() => sourceOf(input.source).readPage(input.cursor, input.limit));
      if (!input.onlyRequestIds) return page;
      const wanted = new Set(input.onlyRequestIds);
      return {
        requests: page.requests.filter((request) => wanted.has(request.requestId)),
        unreadable: page.unreadable.filter((row) => row.requestId !== undefined && wanted.has(row.requestId)),
        nextCursor: page.nextCursor,
      };
    },

    async countBacklog(input: { source: SourceReference }): Promise<number | undefined> {
      return withStableFailures(() => sourceOf(input.source).count());
    },

    async recordBacklogOutcomes(input: { source: SourceReference; outcomes: RequestOutcome[] }): Promise<void> {
      await withStableFailures(() => sourceOf(input.source).recordOutcomes(input.outcomes));
    },

    /** Puts failed requests back in the queue, for a source that keeps outcomes (a table). */
    async requeueBacklogRequests(input: { source: SourceReference; requestIds: string[] }): Promise<void> {
      const source = sourceOf(input.source);
      if (source.requeue) await withStableFailures(() => source.requeue!(input.requestIds));
    },

    /** The outcome of a cascade an earlier run of the job started, waiting for it if it still runs. */
    async awaitFinishedCascade(input: { workflowId: string; requestId: string }): Promise<FinishedRequest> {
      const context = Context.current();
      const heartbeat = setInterval(() => context.heartbeat(), heartbeatIntervalMs);
      try {
        const result = (await context.client.workflow.getHandle(input.workflowId).result()) as CascadeResult;
        return finishedFromResult(input.workflowId, result);
      } catch (error) {
        if (error instanceof WorkflowFailedError)
          return finishedFromFailure(input.requestId, input.workflowId, error.cause);
        throw error;
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}

/** A source error that the same call would repeat fails the activity for good, under its stable type. */
async function withStableFailures<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (BackfillSourceError.isInstance(error)) throw toApplicationFailure(error);
    throw error;
  }
}

export type BackfillActivities = ReturnType<typeof createBackfillActivities>;
