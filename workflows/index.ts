export { cascade } from './cascade';
export { backfill } from './backfill';
export { escalationDriftCheck } from './escalation-drift-check';
export { canaryCheck } from './canary-check';
export { canaryBudget } from './canary-budget';
