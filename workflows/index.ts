export { cascade } from './cascade';
export { backfill } from './backfill';
export { escalationDriftCheck } from './escalation-drift-check';
