import { trace, type Attributes } from '@opentelemetry/api';

/** The tracer every span of the project's own comes from (model calls, gate verdicts, outcomes). */
export const cascadeTracerName = 'temporal-cascade';

/**
 * The OpenTelemetry GenAI semantic-convention attributes a model call's span carries (copied here, as the
 * conventions advise for attributes still in development), and the cascade's own.
 */
export const genAiAttributes = {
  operationName: 'gen_ai.operation.name',
  /** The older name of `gen_ai.provider.name`, still read by many backends; both are set. */
  system: 'gen_ai.system',
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  requestTemperature: 'gen_ai.request.temperature',
  requestMaxTokens: 'gen_ai.request.max_tokens',
  responseModel: 'gen_ai.response.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  errorType: 'error.type',
  serverAddress: 'server.address',
} as const;

export const cascadeSpanAttributes = {
  route: 'cascade.route',
  tier: 'cascade.tier',
  requestId: 'cascade.request_id',
  attempt: 'cascade.attempt',
  costUsd: 'cascade.cost_usd',
  usageEstimated: 'cascade.usage_estimated',
  gateKind: 'cascade.gate.kind',
  gatePassed: 'cascade.gate.passed',
  gateScore: 'cascade.gate.score',
  gateThreshold: 'cascade.gate.threshold',
  gateReasons: 'cascade.gate.reasons',
  escalationReason: 'cascade.escalation_reason',
  outcome: 'cascade.outcome',
  answerTier: 'cascade.answer_tier',
  flagshipOnlyCostUsd: 'cascade.flagship_only_cost_usd',
  failureType: 'cascade.failure_type',
  canaryResult: 'cascade.canary.result',
} as const;

/** Sets attributes on the active span (an activity's), when there is one that records. */
export function annotateActiveSpan(attributes: Attributes): void {
  const span = trace.getActiveSpan();
  if (span?.isRecording()) span.setAttributes(attributes);
}
