import { proxyActivities, proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes } from '../../contracts/search-attributes';
import type * as activities from './floor-activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });
const local = proxyLocalActivities<typeof activities>({ startToCloseTimeout: '10 seconds' });

/** What a floor workflow adds to its one activity, one cascade ingredient at a time. */
export interface FloorWorkflowOptions {
  /** Carried in the input and ignored, as a cascade carries its resolved policy. @default none */
  padding?: unknown;
  /** Upsert a search attribute at the start and two at the end, as a cascade does. @default false */
  upsertSearchAttributes?: boolean;
  /** No-op local activities after the activity (a cascade runs its gate, pricing and ledger so). @default 0 */
  localActivities?: number;
}

/** Temporal's own floor: a workflow whose only work is one activity that does nothing. */
export async function floorWorkflow(options: FloorWorkflowOptions = {}): Promise<void> {
  if (options.upsertSearchAttributes) upsertSearchAttributes([{ key: searchAttributes.route, value: 'floor' }]);
  await noop();
  for (let index = 0; index < (options.localActivities ?? 0); index++) await local.noop();
  if (options.upsertSearchAttributes) {
    upsertSearchAttributes([
      { key: searchAttributes.outcome, value: 'accepted' },
      { key: searchAttributes.costUsd, value: 0 },
    ]);
  }
}
