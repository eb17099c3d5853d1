import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { ModelSpec } from '../../contracts/cascade/route-policy';
import { cascadeSpanAttributes, cascadeTracerName, genAiAttributes } from './span-attributes';

/** One model call's span, ended by `answered` or `failed`. Without a registered tracer it records nothing. */
export interface ModelCallSpan {
  answered(answer: {
    responseModel: string;
    finishReason: string;
    inputTokens: number | undefined;
    outputTokens: number | undefined;
    costUsd: number;
    usageEstimated: boolean;
  }): void;
  failed(failure: { errorType: string; message: string }): void;
}

/**
 * Starts the span of one attempt of a model call (`chat <model>`, a client span), a child of the span that
 * is active: the activity's, under the workflow's, under the client's start.
 */
export function startModelCallSpan(call: {
  route: string;
  tier: string;
  requestId: string;
  model: ModelSpec;
  attempt: number;
}): ModelCallSpan {
  const { model } = call;
  const attributes: Attributes = {
    [genAiAttributes.operationName]: 'chat',
    [genAiAttributes.system]: model.provider,
    [genAiAttributes.providerName]: model.provider,
    [genAiAttributes.requestModel]: model.model,
    ...(model.temperature === undefined ? {} : { [genAiAttributes.requestTemperature]: model.temperature }),
    ...(model.maxOutputTokens === undefined ? {} : { [genAiAttributes.requestMaxTokens]: model.maxOutputTokens }),
    ...(model.baseUrl ? { [genAiAttributes.serverAddress]: hostOf(model.baseUrl) } : {}),
    [cascadeSpanAttributes.route]: call.route,
    [cascadeSpanAttributes.tier]: call.tier,
    [cascadeSpanAttributes.requestId]: call.requestId,
    [cascadeSpanAttributes.attempt]: call.attempt,
  };
  const span: Span = trace
    .getTracer(cascadeTracerName)
    .startSpan(`chat ${model.model}`, { kind: SpanKind.CLIENT, attributes }, context.active());
  return {
    answered(answer) {
      span.setAttributes({
        [genAiAttributes.responseModel]: answer.responseModel,
        [genAiAttributes.responseFinishReasons]: [answer.finishReason],
        ...(answer.inputTokens === undefined ? {} : { [genAiAttributes.inputTokens]: answer.inputTokens }),
        ...(answer.outputTokens === undefined ? {} : { [genAiAttributes.outputTokens]: answer.outputTokens }),
        [cascadeSpanAttributes.costUsd]: answer.costUsd,
        ...(answer.usageEstimated ? { [cascadeSpanAttributes.usageEstimated]: true } : {}),
      });
      span.end();
    },
    failed(failure) {
      span.setAttribute(genAiAttributes.errorType, failure.errorType);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      span.end();
    },
  };
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname;
  } catch {
    return baseUrl;
  }
}
