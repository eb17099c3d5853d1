import type { Tier } from '../../contracts/cascade/route-policy';
import type { CascadeRecord } from './cascade-record';

/** A finished cascade as reports read it back from visibility or from the cost ledger. */
export interface ReportedCascade extends CascadeRecord {
  workflowId: string;
  customer?: string;
  /** The tier whose answer was returned; absent on a failure. */
  answerTier?: Tier;
  /** The model whose answer was returned; absent on a failure and for cascades recorded before it was kept. */
  answerModel?: string;
  /** The judge calls' share of `costUsd`. */
  judgeUsd: number;
  backfillJob?: string;
  startedAt: Date;
  closedAt: Date;
}

export interface CascadeRecordQuery {
  /** Cascades that closed at or after this time. */
  since: Date;
  /** And before this time. @default now */
  until?: Date;
  route?: string;
  backfillJob?: string;
}

/** Reads finished cascades: from Temporal's visibility (the default) or from a cost ledger. */
export interface CascadeRecordReader {
  read(query: CascadeRecordQuery): Promise<ReportedCascade[]>;
}
