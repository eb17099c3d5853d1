import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { cascadeWorkflowType } from '../../contracts/cascade/cascade-request';
import { cascadeOutcomes, type CascadeOutcome } from '../../contracts/cascade/cascade-result';
import { tiers, type Tier } from '../../contracts/cascade/route-policy';
import { searchAttributes } from '../../contracts/search-attributes';
import type { CascadeRecordQuery, CascadeRecordReader, ReportedCascade } from './reported-cascade';
import { ReportInputError } from './report-input-error';

/** The failure type of a cascade that ended without recording its outcome, by how it closed. */
const failureTypeOfStatus: Partial<Record<WorkflowExecutionInfo['status']['name'], string>> = {
  TERMINATED: 'Terminated',
  TIMED_OUT: 'TimedOut',
  CANCELLED: 'Cancelled',
};

/**
 * Reads finished cascades from Temporal's visibility: closed `cascade` workflows and the search
 * attributes they set, so it needs nothing besides Temporal. Visibility does not hold a failure's
 * type: a failed cascade counts under `unknown` (a terminated, timed-out or cancelled one under its
 * status). Visibility is eventually consistent: a cascade that closed a moment ago may be missing.
 */
export class VisibilityRecordReader implements CascadeRecordReader {
  private readonly client: Client;

  constructor(options: { client: Client }) {
    this.client = options.client;
  }

  async read(query: CascadeRecordQuery): Promise<ReportedCascade[]> {
    const cascades: ReportedCascade[] = [];
    for await (const execution of this.client.workflow.list({ query: visibilityQuery(query) })) {
      const cascade = reportedCascadeOf(execution);
      if (cascade) cascades.push(cascade);
    }
    return cascades;
  }
}

/** The visibility list filter of a query, e.g. `WorkflowType = 'cascade' AND ExecutionStatus != 'Running' AND CloseTime >= '...'`. */
export function visibilityQuery(query: CascadeRecordQuery): string {
  const conditions = [
    `WorkflowType = ${quoted(cascadeWorkflowType)}`,
    `ExecutionStatus != 'Running'`,
    `CloseTime >= ${quoted(query.since.toISOString())}`,
    ...(query.until ? [`CloseTime < ${quoted(query.until.toISOString())}`] : []),
    ...(query.route !== undefined ? [`${searchAttributes.route.name} = ${quoted(query.route, '--route')}`] : []),
    ...(query.backfillJob !== undefined
      ? [`${searchAttributes.backfillJob.name} = ${quoted(query.backfillJob, '--job')}`]
      : []),
  ];
  return conditions.join(' AND ');
}

/** The cascade a closed workflow describes, or none for a run that handed over to a new one. */
export function reportedCascadeOf(execution: WorkflowExecutionInfo): ReportedCascade | undefined {
  if (execution.status.name === 'CONTINUED_AS_NEW' || execution.status.name === 'RUNNING') return undefined;
  const attributes = execution.typedSearchAttributes;
  const recordedOutcome = attributes.get(searchAttributes.outcome);
  // A cascade that failed before it recorded an outcome (its input was invalid, its route unknown) failed.
  const outcome: CascadeOutcome = isOutcome(recordedOutcome) ? recordedOutcome : 'failed';
  const escalationReason = attributes.get(searchAttributes.escalationReason);
  const customer = attributes.get(searchAttributes.customer);
  const backfillJob = attributes.get(searchAttributes.backfillJob);
  const answerTier = answerTierOf(outcome, attributes.get(searchAttributes.answerTier));
  const answerModel = answerTier === undefined ? undefined : attributes.get(searchAttributes.answerModel);
  const failureType = outcome === 'failed' ? failureTypeOfStatus[execution.status.name] : undefined;
  const closedAt = execution.closeTime ?? execution.startTime;
  return {
    workflowId: execution.workflowId,
    route: attributes.get(searchAttributes.route) ?? 'unknown',
    outcome,
    ...(escalationReason !== undefined ? { escalationReason } : {}),
    ...(failureType !== undefined ? { failureType } : {}),
    ...(answerTier !== undefined ? { answerTier } : {}),
    ...(answerModel !== undefined ? { answerModel } : {}),
    ...(customer !== undefined ? { customer } : {}),
    ...(backfillJob !== undefined ? { backfillJob } : {}),
    costUsd: attributes.get(searchAttributes.costUsd) ?? 0,
    flagshipOnlyUsd:
      outcome === 'failed' || outcome === 'refused' ? 0 : (attributes.get(searchAttributes.flagshipOnlyCostUsd) ?? 0),
    judgeUsd: attributes.get(searchAttributes.judgeCostUsd) ?? 0,
    latencyMs: closedAt.getTime() - execution.startTime.getTime(),
    startedAt: execution.startTime,
    closedAt,
  };
}

function isOutcome(value: string | undefined): value is CascadeOutcome {
  return (cascadeOutcomes as readonly string[]).includes(value ?? '');
}

/** The recorded answering tier; cascades from before it was recorded answered from the tier their outcome implies. */
function answerTierOf(outcome: CascadeOutcome, recorded: string | undefined): Tier | undefined {
  if (outcome === 'failed' || outcome === 'refused') return undefined;
  if ((tiers as readonly string[]).includes(recorded ?? '')) return recorded as Tier;
  return outcome === 'accepted' || outcome === 'cheap_only' ? 'cheap' : 'flagship';
}

/** A string literal of the list filter. Values with quotes or backslashes are refused rather than escaped. */
export function quoted(value: string, option?: string): string {
  if (/['"\\]/.test(value)) {
    throw new ReportInputError({
      message: `${option ?? 'a filter value'} must not contain quotes or backslashes, got ${JSON.stringify(value)}`,
    });
  }
  return `'${value}'`;
}
