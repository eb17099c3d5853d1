/**
 * temporal-cascade: durable LLM cascades on Temporal. The public API for services and workers.
 */
export { CascadeClient, workflowIdOf, type CascadeClientOptions, type StartedCascade } from './client/cascade-client';
export { CascadeFailedError, InvalidCascadeRequestError } from './client/cascade-errors';
export { cascadeWorkflowType, defaultTaskQueue, type CascadeRequest, type ChatMessage } from './common/cascade-request';
export type { CascadeCost, CascadeOutcome, CascadeResult, TierReport } from './common/cascade-result';
export { failureTypes, type FailureType } from './common/failure-types';
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
export { applyTuningToGate, crossValidate, tuneRoute, type TuningObjective } from './tuning';
export { fitCalibration } from './calibration/fit-calibration';
export { applyCalibration } from './calibration/apply-calibration';
