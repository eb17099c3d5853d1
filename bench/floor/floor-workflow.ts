import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './floor-activities';

const { noop } = proxyActivities<typeof activities>({ startToCloseTimeout: '30 seconds' });

/** Temporal's own floor: a workflow whose only work is one activity that does nothing. */
export async function floorWorkflow(): Promise<void> {
  await noop();
}
