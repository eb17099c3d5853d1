import { Context } from '@temporalio/activity';
import type { CallModelInput, ModelAnswer } from '../contracts/cascade/model-answer';
import type { ModelSpec } from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { CascadeError } from '../contracts/cascade-error';
import { failureTypes } from '../contracts/failure-types';
import { defaultPolicyLimits } from '../config/policy-limits';
import { checkedUsage } from '../models/pricing/checked-usage';
import { priceUsage } from '../models/pricing/price-usage';
import type { ModelProvider } from '../models/providers/model-provider';
import { toActivityFailure } from '../models/providers/provider-failure';

export interface CallModelDependencies {
  /** Returns the provider of a model; may throw `MissingApiKeyError`. */
  providerFor: (spec: ModelSpec) => ModelProvider;
  /** The longest answer taken, in UTF-8 bytes. @default defaultPolicyLimits.maximumAnswerBytes */
  maximumAnswerBytes?: number;
}

/**
 * The most the token log-probabilities of one answer may take as JSON. An answer's activity result is one
 * payload (2 MiB at most); beyond this the leading tokens are kept and the answer says so.
 */
export const maximumLogprobBytes = 1024 * 1024;

/**
 * Builds the `callModel` activity: one call of one model, no retry of its own. Temporal retries it
 * under the tier's policy; every provider error leaves through `toActivityFailure`, which decides
 * whether it is retryable and how long to wait (a provider's Retry-After, capped).
 */
export function createCallModel(dependencies: CallModelDependencies) {
  return async function callModel(input: CallModelInput): Promise<ModelAnswer> {
    return callModelOnce(dependencies, input);
  };
}

/** One model call inside an activity: the answer normalised and priced, or the one mapped failure. */
export async function callModelOnce(dependencies: CallModelDependencies, input: CallModelInput): Promise<ModelAnswer> {
  const context = Context.current();
  const failureContext = {
    provider: input.model.provider,
    model: input.model.model,
    retryAfterCapMs: input.retryAfterCapMs,
  };
  try {
    const provider = dependencies.providerFor(input.model);
    const startedAt = performance.now();
    const result = await provider.generate({
      messages: input.messages,
      abortSignal: AbortSignal.any([context.cancellationSignal, AbortSignal.timeout(input.timeoutMs)]),
      datasetRowId: input.datasetRowId,
    });
    // Counts are checked before they are priced: an impossible one is estimated from the text.
    const usage = checkedUsage({ usage: result.usage, messages: input.messages, answerText: result.text });
    const cost = priceUsage(input.model, usage);
    const answerBytes = Buffer.byteLength(result.text, 'utf8');
    const maximumAnswerBytes = dependencies.maximumAnswerBytes ?? defaultPolicyLimits.maximumAnswerBytes;
    if (answerBytes > maximumAnswerBytes) {
      throw new CascadeError({
        type: failureTypes.providerAnswerTooLarge,
        message: `${input.model.provider} model ${input.model.model} answered ${answerBytes} bytes, above the ${maximumAnswerBytes} this worker takes (limits.maximumAnswerBytes)`,
        details: { provider: input.model.provider, model: input.model.model, usage, cost },
      });
    }
    if (result.text.trim() === '') {
      throw new CascadeError({
        type: failureTypes.providerEmptyAnswer,
        message: `${input.model.provider} model ${input.model.model} answered without content (finish reason ${result.finishReason})`,
        details: { provider: input.model.provider, model: input.model.model, usage, cost },
      });
    }
    return {
      tier: input.tier,
      provider: input.model.provider,
      model: result.modelId || input.model.model,
      text: result.text,
      finishReason: result.finishReason,
      usage,
      ...boundedLogprobs(result.logprobs),
      cost,
      latencyMs: Math.round(performance.now() - startedAt),
      attempt: context.info.attempt,
    };
  } catch (error) {
    // A cancelled activity reports the cancellation itself, not a provider timeout.
    if (context.cancellationSignal.aborted) throw error;
    const failure =
      CascadeError.isInstance(error) &&
      (error.type === failureTypes.providerEmptyAnswer || error.type === failureTypes.providerAnswerTooLarge)
        ? error
        : toActivityFailure(error, failureContext);
    const fields = {
      tier: input.tier,
      route: input.route,
      requestId: input.requestId,
      model: input.model.model,
      attempt: context.info.attempt,
      failureType: failure.type,
      retryable: !failure.nonRetryable,
    };
    // A key the provider refuses is the worker's setup, not the request: every request fails until it is fixed.
    if (failure.type === failureTypes.providerAuthenticationFailed)
      context.log.error('model call refused: the provider does not accept the API key', fields);
    else context.log.warn('model call failed', fields);
    // The details name the attempt that raised the failure, so the history reports attempts.
    throw toApplicationFailure(failure, { addDetails: { attempt: context.info.attempt } });
  }
}

/** The answer's log-probabilities, the leading ones only when all of them would not fit `maximumLogprobBytes`. */
function boundedLogprobs(
  logprobs: ModelAnswer['logprobs'],
): Pick<ModelAnswer, 'logprobs'> & { logprobsTruncated?: true } {
  if (!logprobs) return { logprobs };
  let bytes = 2;
  for (let index = 0; index < logprobs.length; index += 1) {
    bytes += Buffer.byteLength(JSON.stringify(logprobs[index])) + 1;
    if (bytes > maximumLogprobBytes) return { logprobs: logprobs.slice(0, index), logprobsTruncated: true };
  }
  return { logprobs };
}
