import type { Client } from '@temporalio/client';
import { searchAttributes } from '../../contracts/search-attributes';
import { isCanaryResult, type CanaryRecord } from './canary-summary';
import type { CascadeRecordQuery } from './reported-cascade';
import { quoted } from './visibility-record-reader';

/** The workflow type of a canary, as visibility lists it. */
export const canaryWorkflowType = 'canaryCheck';

/**
 * Reads finished canaries from Temporal's visibility: completed `canaryCheck` workflows, their
 * `CascadeCanaryResult` and their spend (`CascadeCostUsd`).
 */
export async function readCanaries(
  client: Client,
  query: Omit<CascadeRecordQuery, 'backfillJob'>,
): Promise<CanaryRecord[]> {
  const conditions = [
    `WorkflowType = '${canaryWorkflowType}'`,
    `ExecutionStatus = 'Completed'`,
    `CloseTime >= '${query.since.toISOString()}'`,
    ...(query.until ? [`CloseTime < '${query.until.toISOString()}'`] : []),
    ...(query.route !== undefined ? [`${searchAttributes.route.name} = ${quoted(query.route, '--route')}`] : []),
  ];
  const canaries: CanaryRecord[] = [];
  for await (const execution of client.workflow.list({ query: conditions.join(' AND ') })) {
    const attributes = execution.typedSearchAttributes;
    const result = attributes.get(searchAttributes.canaryResult);
    if (!isCanaryResult(result)) continue;
    canaries.push({
      route: attributes.get(searchAttributes.route) ?? 'unknown',
      result,
      costUsd: attributes.get(searchAttributes.costUsd) ?? 0,
      closedAt: execution.closeTime ?? execution.startTime,
    });
  }
  return canaries;
}
