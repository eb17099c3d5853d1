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
import type { ModelCallJournal } from '../operations/ledger/model-call-journal';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import { startModelCallSpan } from '../operations/tracing/model-call-span';
import type { CircuitBreakers } from '../operations/traffic/circuit-breakers';

export interface CallModelDependencies {
  /** Returns the provider of a model; may throw `MissingApiKeyError`. */
  providerFor: (spec: ModelSpec) => ModelProvider;
  /** The longest answer taken, in UTF-8 bytes. @default defaultPolicyLimits.maximumAnswerBytes */
  maximumAnswerBytes?: number;
  /** Notes each call's start and answer, so calls cut off count as possibly billed. @default none */
  journal?: ModelCallJournal;
  /** Counts each attempt's duration, result and tokens. @default none */
  metrics?: CascadeMetrics;
  /** The worker's circuit breakers, one per model endpoint; a call through an open one is refused unsent. @default none */
  circuitBreakers?: CircuitBreakers;
}

/** Failures that count against an endpoint's circuit: it did not answer, or answered that it could not. */
const endpointFailureTypes: ReadonlySet<string> = new Set([
  failureTypes.providerUnavailable,
  failureTypes.providerRateLimited,
  failureTypes.providerTimeout,
  failureTypes.providerConnectionFailed,
  failureTypes.providerInvalidResponse,
  failureTypes.providerError,
]);

/** Failures after which the provider sent no answer: it may have billed the call anyway. */
const unansweredFailureTypes: ReadonlySet<string> = new Set([
  failureTypes.providerTimeout,
  failureTypes.providerConnectionFailed,
  failureTypes.providerError,
]);

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
    fallbackAvailable: input.fallbackAvailable === true,
  };
  const journal = callJournalOf(dependencies.journal, context, input);
  const cutOffBefore = await journal.start();
  const attemptStartedAt = performance.now();
  const observe = (result: string, usage?: { inputTokens?: number; outputTokens?: number }) =>
    dependencies.metrics?.recordModelCall({
      tier: input.tier,
      provider: input.model.provider,
      model: input.model.model,
      durationSeconds: (performance.now() - attemptStartedAt) / 1000,
      result,
      ...usage,
    });
  const span = startModelCallSpan({
    route: input.route,
    tier: input.tier,
    requestId: input.requestId,
    model: input.model,
    attempt: context.info.attempt,
  });
  let answered = false;
  try {
    const provider = dependencies.providerFor(input.model);
    const startedAt = performance.now();
    const generate = () =>
      provider.generate({
        messages: input.messages,
        abortSignal: AbortSignal.any([context.cancellationSignal, AbortSignal.timeout(input.timeoutMs)]),
        datasetRowId: input.datasetRowId,
      });
    const result = dependencies.circuitBreakers
      ? await dependencies.circuitBreakers.call(
          { provider: input.model.provider, model: input.model.model, baseUrl: input.model.baseUrl },
          generate,
          // A cancelled call says nothing of the endpoint; a rejected request says it answered.
          (error) =>
            !context.cancellationSignal.aborted &&
            endpointFailureTypes.has(toActivityFailure(error, failureContext).type ?? ''),
        )
      : await generate();
    answered = true;
    await journal.answered({ billable: true });
    // Counts are checked before they are priced: an impossible one is estimated from the text.
    const usage = checkedUsage({ usage: result.usage, messages: input.messages, answerText: result.text });
    const cost = priceUsage(input.model, usage);
    const answerBytes = Buffer.byteLength(result.text, 'utf8');
    const maximumAnswerBytes = dependencies.maximumAnswerBytes ?? defaultPolicyLimits.maximumAnswerBytes;
    // An answer the cascade cannot use is the provider's failure, with what it was billed in its details.
    // Thrown as an application failure, it leaves through `toActivityFailure` unchanged.
    const unusable = (type: string, what: string) =>
      toApplicationFailure(
        new CascadeError({
          type,
          message: `${input.model.provider} model ${input.model.model} ${what}`,
          details: { provider: input.model.provider, model: input.model.model, usage, cost },
        }),
      );
    if (answerBytes > maximumAnswerBytes) {
      throw unusable(
        failureTypes.providerAnswerTooLarge,
        `answered ${answerBytes} bytes, above the ${maximumAnswerBytes} this worker takes (limits.maximumAnswerBytes)`,
      );
    }
    if (result.text.trim() === '') {
      throw unusable(
        failureTypes.providerEmptyAnswer,
        `answered without content (finish reason ${result.finishReason})`,
      );
    }
    observe('answered', { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens });
    span.answered({
      responseModel: result.modelId || input.model.model,
      finishReason: result.finishReason,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      costUsd: cost.usd,
      usageEstimated: usage.estimated === true,
    });
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
      ...(cutOffBefore > 0 ? { possiblyBilledCalls: cutOffBefore } : {}),
    };
  } catch (error) {
    // A cancelled activity reports the cancellation itself, not a provider timeout.
    if (context.cancellationSignal.aborted) {
      observe('cancelled');
      span.failed({ errorType: 'cancelled', message: 'the activity was cancelled' });
      throw error;
    }
    const failure = toActivityFailure(error, failureContext);
    observe(failure.type ?? failureTypes.untypedApplicationFailure);
    span.failed({ errorType: failure.type ?? failureTypes.untypedApplicationFailure, message: failure.message });
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
    // The circuit's opening is logged once, by the worker; each refusal is not news.
    else if (failure.type === failureTypes.circuitOpen)
      context.log.debug('model call refused: its circuit is open', fields);
    else context.log.warn('model call failed', fields);
    const cutOff = !answered && unansweredFailureTypes.has(failure.type ?? '');
    if (!answered && !cutOff) await journal.answered({ billable: false });
    const possiblyBilledCalls = cutOffBefore + (cutOff ? 1 : 0);
    // The details name the attempt that raised the failure, so the history reports attempts.
    throw toApplicationFailure(failure, {
      addDetails: { attempt: context.info.attempt, ...(possiblyBilledCalls > 0 ? { possiblyBilledCalls } : {}) },
    });
  }
}

/** The answer's log-probabilities, the leading ones only when all of them would not fit `maximumLogprobBytes`. */
function boundedLogprobs(
  logprobs: ModelAnswer['logprobs'],
): Pick<ModelAnswer, 'logprobs'> & { logprobsTruncated?: true } {
  // One serialisation in the common case; the walk entry by entry only for the rare answer over the bound.
  if (!logprobs || Buffer.byteLength(JSON.stringify(logprobs)) <= maximumLogprobBytes) return { logprobs };
  let bytes = 2;
  for (let index = 0; index < logprobs.length; index += 1) {
    bytes += Buffer.byteLength(JSON.stringify(logprobs[index])) + 1;
    if (bytes > maximumLogprobBytes) return { logprobs: logprobs.slice(0, index), logprobsTruncated: true };
  }
  return { logprobs };
}

/**
 * The journal entries of this attempt: `start()` notes it and says how many earlier attempts the provider
 * may have billed without a recorded cost; `answered()` notes that the provider answered, billably or not. A journal that cannot be written is logged and
 * skipped: the answer matters more than the count. Local activities and workers without a ledger keep none.
 */
function callJournalOf(journal: ModelCallJournal | undefined, context: Context, input: CallModelInput) {
  const { info } = context;
  const execution = info.workflowExecution;
  if (!journal || info.isLocal || !execution)
    return { start: async () => 0, answered: async (_options: { billable: boolean }) => undefined };
  const key = {
    workflowId: execution.workflowId,
    runId: execution.runId,
    activityId: info.activityId,
    attempt: info.attempt,
  };
  const skipped = (error: unknown) => {
    context.log.warn('model call journal not written', { error: String(error), model: input.model.model });
  };
  return {
    async start(): Promise<number> {
      try {
        const earlier = info.attempt > 1 ? await journal.unrecordedBefore(key) : 0;
        await journal.started({ ...key, model: input.model.model });
        return earlier;
      } catch (error) {
        skipped(error);
        return 0;
      }
    },
    async answered(options: { billable: boolean }): Promise<void> {
      await journal.answered({ ...key, ...options }).catch(skipped);
    },
  };
}
