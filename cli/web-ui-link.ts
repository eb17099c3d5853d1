import type { Client } from '@temporalio/client';

/** The visibility query that lists the escalated cascades whose workflow ids start with a prefix. */
export function escalatedQuery(options: { workflowIdPrefix: string }): string {
  return `CascadeOutcome = "escalated" AND WorkflowId STARTS_WITH "${options.workflowIdPrefix}"`;
}

/** A Web UI address that opens the workflow list filtered by a query. */
export function webUiLink(options: {
  uiUrl: string | undefined;
  namespace: string;
  query: string;
}): string | undefined {
  if (!options.uiUrl) return undefined;
  return `${options.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(options.namespace)}/workflows?query=${encodeURIComponent(options.query)}`;
}

/**
 * Counts what a query lists, waiting briefly for visibility (updated shortly after each workflow
 * closes) to catch up with what the caller knows finished.
 */
export async function waitForVisibility(options: {
  client: Client;
  query: string;
  expected: number;
  timeoutMs?: number;
}): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const { count } = await options.client.workflow.count(options.query);
    if (count >= options.expected || Date.now() > deadline) return count;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
