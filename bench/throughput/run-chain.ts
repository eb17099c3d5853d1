import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunHistory {
  runId: string;
  events: HistoryEvent[];
}

/**
 * The histories of every run of a workflow's continue-as-new chain, first run first: from the chain's
 * first run id, each run's closing `WorkflowExecutionContinuedAsNew` event names the next run.
 */
export async function fetchRunChain(client: Client, workflowId: string): Promise<RunHistory[]> {
  const description = await client.workflow.getHandle(workflowId).describe();
  let runId: string | undefined = description.raw.workflowExecutionInfo?.firstRunId || description.runId;
  const runs: RunHistory[] = [];
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events: HistoryEvent[] = history.events ?? [];
    runs.push({ runId, events });
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId || undefined;
  }
  return runs;
}
