import type { Client } from '@temporalio/client';
import { canarySampled, canaryWorkflowIdOf, type CanaryCheckResult } from '../../contracts/cascade/canary';
import type { RouteCatalog } from '../../config/route-catalog';
import type { CascadeRecord } from '../../operations/reporting/cascade-record';
import { summarizeCanaries, type CanarySummary } from '../../operations/reporting/canary-summary';
import type { DemoItem } from './demo-workload';

/**
 * Waits for the canaries of the demo's accepted requests (those their route's canary samples) and sums what
 * they found per route. `records` are the demo's results, in the order of `items`. A canary that has not
 * finished within `timeoutMs` is left out and counted as `pending`.
 */
export async function awaitDemoCanaries(options: {
  client: Client;
  routes: RouteCatalog;
  items: readonly DemoItem[];
  records: readonly CascadeRecord[];
  timeoutMs: number;
}): Promise<{ summaries: CanarySummary[]; pending: number }> {
  const sampled = options.items.filter((item, index) => {
    const canary = options.routes.get(item.request.route).canary;
    const requestId = item.request.requestId;
    return (
      options.records[index]?.outcome === 'accepted' &&
      canary !== undefined &&
      requestId !== undefined &&
      canarySampled(requestId, canary.share)
    );
  });
  const deadline = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), options.timeoutMs).unref());
  const results = await Promise.all(
    sampled.map((item) =>
      Promise.race([
        options.client.workflow
          .getHandle(canaryWorkflowIdOf(item.request.requestId!))
          .result()
          .then((result: CanaryCheckResult) => result)
          .catch(() => undefined),
        deadline,
      ]),
    ),
  );
  const finished = results.filter((result): result is CanaryCheckResult => result !== undefined);
  return {
    summaries: summarizeCanaries(
      finished.map((result) => ({
        route: result.route,
        result: result.result,
        costUsd: result.costUsd,
        closedAt: new Date(),
      })),
    ),
    pending: results.length - finished.length,
  };
}
