/**
 * temporal-cascade: durable LLM cascades on Temporal. The public API for services and workers.
 */
export { CascadeClient, workflowIdOf, type CascadeClientOptions, type StartedCascade } from './client/cascade-client';
export { CascadeFailedError, InvalidCascadeRequestError } from './client/cascade-errors';
export { CascadeError, type CascadeErrorOptions } from './contracts/cascade-error';
export { causeChain } from './contracts/cause-chain';
export { cascadeWorkflowType, defaultTaskQueue, type CascadeRequest } from './contracts/cascade/cascade-request';
export type { ChatMessage } from './contracts/cascade/chat-message';
export type { CascadeCost, CascadeOutcome, CascadeResult, TierReport } from './contracts/cascade/cascade-result';
export { failureTypes, isRetryableFailureType, type FailureType } from './contracts/failure-types';
export { toApplicationFailure } from './contracts/to-application-failure';
export type { GateSpec } from './contracts/cascade/gate-spec';
export type { GateVerdict } from './contracts/cascade/gate-verdict';
export type { ModelSpec, RoutePolicy } from './contracts/cascade/route-policy';
export { searchAttributes, searchAttributeDefinitions } from './contracts/search-attributes';
export { ConfigurationError, UnknownRouteError } from './config/configuration-error';
export { loadConfig, parseConfig } from './config/load-config';
export { RouteCatalog } from './config/route-catalog';
export { SchemaRegistry } from './gates/schema-registry';
export { createCascadeWorker, type CascadeWorkerOptions } from './workers/create-worker';
export { runWorker } from './workers/run-worker';
export type { EvaluationRecord } from './evaluation/analysis/evaluation-record';
export { buildCascadeReport } from './evaluation/analysis/cascade-report';
export {
  applyTuningToGate,
  crossValidate,
  tunedCurve,
  tuneRoute,
  type RouteTuning,
  type TuningObjective,
} from './evaluation/tuning';
export { fitCalibration } from './gates/calibration/fit-calibration';
export { applyCalibration } from './gates/calibration/apply-calibration';
export {
  BackfillClient,
  BackfillJobNotFoundError,
  InvalidBackfillJobError,
  type BackfillClientOptions,
  type BackfillJobOptions,
  type StartedBackfill,
} from './client/backfill-client';
export { backfillWorkflowType, type BackfillFailure, type BackfillProgress } from './contracts/backfill/backfill-job';
export type {
  QueuedRequest,
  RequestOutcome,
  RequestSource,
  SourcePage,
  UnreadableRow,
} from './operations/backfill/sources/request-source';
export { createJsonlRequestSource } from './operations/backfill/sources/jsonl-source';
export { createPostgresRequestSource } from './operations/backfill/sources/postgres-source';
export { ensureQueueTable, queueTableSql } from './operations/backfill/sources/queue-table';
export { BackfillSourceError } from './operations/backfill/sources/backfill-source-error';
export type { CostLedger, LedgerEntry } from './operations/ledger/cost-ledger';
export { PostgresCostLedger } from './operations/ledger/postgres-ledger';
export type { CascadeRecordQuery, CascadeRecordReader, ReportedCascade } from './operations/reporting/reported-cascade';
export { VisibilityRecordReader } from './operations/reporting/visibility-record-reader';
export { LedgerRecordReader } from './operations/ledger/ledger-record-reader';
export { buildGroupedReport, type GroupedReport, type ReportGroupKey } from './operations/reporting/grouped-report';
export {
  deleteDriftSchedule,
  listDriftSchedules,
  upsertDriftSchedule,
  type DriftScheduleSpec,
} from './client/drift-schedules';
export type { DriftEvaluation } from './contracts/drift/drift-evaluation';
export { EncryptionCodec, EncryptionKeyMissingError, PayloadUndecryptableError } from './codec/encryption-codec';
export { CompressionCodec } from './codec/compression-codec';
export { parseEncryptionKeys, encryptionKeysFromEnvironment, type EncryptionKeyring } from './codec/encryption-keys';
export { dataConverterFromEnvironment, payloadCodecsFromEnvironment } from './codec/payload-codecs';
export { createCodecServerApp, type CodecServerAppOptions } from './codec/codec-server-app';
export { reconcileLedger, type LedgerReconciliation } from './operations/ledger/ledger-reconciliation';
export type { ModelCallJournal } from './operations/ledger/model-call-journal';
export { PolicyRejectedError } from './config/policy-rejected-error';
export { defaultPolicyLimits, type PolicyLimits } from './config/policy-limits';
export { startCascadeApi, type CascadeApiServerOptions } from './api/cascade-api-server';
export { createCascadeApiApp, type CascadeApiAppOptions } from './api/cascade-api-app';
export { apiKeyHash, resolveApiSettings, type ApiCaller, type ApiSettings } from './config/api-section';
export { loadServeConfig } from './config/load-config';
export {
  billedUsageOf,
  cascadeFailureIsRetryable,
  cascadeSummaryOf,
  type BilledUsage,
  type CascadeSummary,
} from './client/cascade-summary';
export { routeModelPrefix, routeOfModel } from './client/route-model-name';
export {
  createCascade,
  type CascadeConnectionOptions,
  type CascadeProvider,
  type CascadeProviderSettings,
} from './ai-sdk/create-cascade';
export { CascadeLanguageModel, type CascadeLanguageModelOptions } from './ai-sdk/cascade-language-model';
export { cascadeProviderKey, type CascadeProviderOptions } from './ai-sdk/cascade-provider-options';
export type { CascadeErrorData } from './ai-sdk/provider-errors';
export { CascadeWaitTimeoutError } from './client/cascade-wait-timeout-error';
export { TemporalServerUnreachableError } from './ai-sdk/temporal-server-unreachable-error';
