/**
 * temporal-cascade: durable LLM cascades on Temporal. The public API for services and workers.
 */
export { CascadeClient, workflowIdOf, type CascadeClientOptions, type StartedCascade } from './client/cascade-client';
export { CascadeFailedError, InvalidCascadeRequestError } from './client/cascade-errors';
export { CascadeError, type CascadeErrorOptions } from './common/cascade-error';
export { causeChain } from './common/cause-chain';
export { cascadeWorkflowType, defaultTaskQueue, type CascadeRequest, type ChatMessage } from './common/cascade-request';
export type { CascadeCost, CascadeOutcome, CascadeResult, TierReport } from './common/cascade-result';
export { failureTypes, isRetryableFailureType, type FailureType } from './common/failure-types';
export { toApplicationFailure } from './common/to-application-failure';
export type { GateSpec } from './common/gate-spec';
export type { GateVerdict } from './common/gate-verdict';
export type { ModelSpec, RoutePolicy } from './common/route-policy';
export { searchAttributes, searchAttributeDefinitions } from './common/search-attributes';
export { ConfigurationError, UnknownRouteError } from './config/configuration-error';
export { loadConfig, parseConfig } from './config/load-config';
export { RouteCatalog } from './config/route-catalog';
export { SchemaRegistry } from './gates/schema-registry';
export { createCascadeWorker, type CascadeWorkerOptions } from './workers/create-worker';
export { runWorker } from './workers/run-worker';
export type { EvaluationRecord } from './analysis/evaluation-record';
export { buildCascadeReport } from './analysis/cascade-report';
export {
  applyTuningToGate,
  crossValidate,
  tunedCurve,
  tuneRoute,
  type RouteTuning,
  type TuningObjective,
} from './tuning';
export { fitCalibration } from './calibration/fit-calibration';
export { applyCalibration } from './calibration/apply-calibration';
export {
  BackfillClient,
  BackfillJobNotFoundError,
  InvalidBackfillJobError,
  type BackfillClientOptions,
  type BackfillJobOptions,
  type StartedBackfill,
} from './client/backfill-client';
export { backfillWorkflowType, type BackfillFailure, type BackfillProgress } from './common/backfill-job';
export type {
  QueuedRequest,
  RequestOutcome,
  RequestSource,
  SourcePage,
  UnreadableRow,
} from './backfill/sources/request-source';
export { createJsonlRequestSource } from './backfill/sources/jsonl-source';
export { createPostgresRequestSource } from './backfill/sources/postgres-source';
export { ensureQueueTable, queueTableSql } from './backfill/sources/queue-table';
export { BackfillSourceError } from './backfill/sources/backfill-source-error';
export type { CostLedger, LedgerEntry } from './ledger/cost-ledger';
export { PostgresCostLedger } from './ledger/postgres-ledger';
export type { CascadeRecordQuery, CascadeRecordReader, ReportedCascade } from './reporting/reported-cascade';
export { VisibilityRecordReader } from './reporting/visibility-record-reader';
export { LedgerRecordReader } from './ledger/ledger-record-reader';
export { buildGroupedReport, type GroupedReport, type ReportGroupKey } from './reporting/grouped-report';
export {
  deleteDriftSchedule,
  listDriftSchedules,
  upsertDriftSchedule,
  type DriftScheduleSpec,
} from './drift/drift-schedules';
export type { DriftEvaluation } from './common/drift-evaluation';
