import { ActivityFailure, ApplicationFailure, TimeoutFailure, log } from '@temporalio/workflow';
import type { CascadeWorkflowInput } from '../contracts/cascade/cascade-request';
import { CascadeError } from '../contracts/cascade-error';
import type { TierReport } from '../contracts/cascade/cascade-result';
import { failureTypes, nonRetryableFailureTypes } from '../contracts/failure-types';
import type { GateSignalNeeds, Judgement, JudgeGateSpec } from '../contracts/cascade/gate-signals';
import { escalationReasons } from '../contracts/cascade/gate-verdict';
import type { CallModelInput, CostLine, ModelAnswer } from '../contracts/cascade/model-answer';
import {
  tierModels,
  type ModelSpec,
  type RetrySpec,
  type RoutePolicy,
  type Tier,
} from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { callModel, judgeAnswer } from './activity-proxies';

/** Extra time the server allows an attempt beyond the call's own timeout, so the call's abort wins. */
export const activityTimeoutGraceMs = 1_000;

/** A tier's answer, with the report of every model it asked: the ones that gave none first, then the one that answered. */
export interface TierAnswer {
  answer: ModelAnswer;
  /** The model spec that answered (the tier's model or one of its fallbacks). */
  model: ModelSpec;
  reports: TierReport[];
}

/**
 * A tier that gave no answer: every model it asked, each with why (the earlier ones with `fallbackTo`),
 * the escalation reason its last failure gives, and that failure.
 */
export class TierUnansweredError extends Error {
  readonly reports: TierReport[];
  readonly reason: string;
  override readonly cause: ActivityFailure;

  constructor(options: { reports: TierReport[]; reason: string; cause: ActivityFailure }) {
    super(options.cause.message);
    this.name = 'TierUnansweredError';
    this.reports = options.reports;
    this.reason = options.reason;
    this.cause = options.cause;
  }

  /** The report of the model asked last, whose failure ended the tier. */
  get last(): TierReport {
    return this.reports[this.reports.length - 1]!;
  }
}

/** The model calls of one request, under its route's policy. */
export interface ModelCalls {
  /**
   * Asks a tier: its model under the tier's timeout and retry policy, then, while the one asked is
   * unavailable (`movesToNextModel`), each fallback model in turn. Throws `TierUnansweredError`.
   */
  answerTier(tier: Tier, options?: { summarySuffix?: string }): Promise<TierAnswer>;
  /** Calls one model of a tier under the tier's timeout and retry policy; the summary names what it is for. */
  callTier(
    tier: Tier,
    options?: { summarySuffix?: string; temperature?: number; model?: ModelSpec; fallbackAvailable?: true },
  ): Promise<ModelAnswer>;
  /** Extra samples of the cheap model that answered: each a report, with its text ('' when the sample failed). */
  gatherSamples(needs: GateSignalNeeds, model?: ModelSpec): Promise<Array<{ text: string; report: TierReport }>>;
  /** One judgement per judge gate, depth first; a judge that could not answer scores 0. */
  gatherJudgements(
    needs: GateSignalNeeds,
    answer: string,
  ): Promise<Array<{ judgement: Judgement; report: TierReport }>>;
}

export function modelCalls(policy: RoutePolicy, request: CascadeWorkflowInput): ModelCalls {
  // Only when set, so the activity inputs of a request without it stay as they always were.
  const datasetRow = request.datasetRowId === undefined ? {} : { datasetRowId: request.datasetRowId };
  const callTier: ModelCalls['callTier'] = (tier, options = {}) => {
    const tierSpec = policy[tier];
    const chosen = options.model ?? tierSpec.model;
    const model = requestedModel(chosen, {
      temperature: options.temperature ?? request.temperature,
      maxOutputTokens: request.maxOutputTokens,
    });
    const input: CallModelInput = {
      tier,
      route: policy.route,
      requestId: request.requestId,
      model,
      messages: request.messages,
      timeoutMs: tierSpec.timeoutMs,
      retryAfterCapMs: policy.retryAfterCapMs,
      ...datasetRow,
      ...(options.fallbackAvailable ? { fallbackAvailable: true as const } : {}),
    };
    return callModel.executeWithOptions(
      {
        summary: `${tier} · ${chosen.model}${options.summarySuffix ? ` · ${options.summarySuffix}` : ''}`,
        startToCloseTimeout: tierSpec.timeoutMs + activityTimeoutGraceMs,
        retry: retryOptions(tierSpec.retry),
      },
      [input],
    );
  };

  const answerTier: ModelCalls['answerTier'] = async (tier, options = {}) => {
    const models = tierModels(policy[tier]);
    const skipped: TierReport[] = [];
    for (const [index, model] of models.entries()) {
      const next = models[index + 1];
      // A tier of one model sends exactly what it sent before fallbacks existed.
      const fallbackNote =
        index === 0
          ? undefined
          : `fallback ${index + 1}/${models.length} after ${skipped.map((report) => `${report.model}: ${skipNote(report)}`).join(', ')}`;
      const summarySuffix = [fallbackNote, options.summarySuffix].filter(Boolean).join(' · ') || undefined;
      try {
        const answer = await callTier(tier, {
          ...(summarySuffix ? { summarySuffix } : {}),
          ...(index > 0 ? { model } : {}),
          ...(next ? { fallbackAvailable: true as const } : {}),
        });
        return { answer, model, reports: [...skipped, answeredReport(answer)] };
      } catch (error) {
        const unanswered = classifyFailure({
          tier,
          model: model.model,
          maximumAttempts: policy[tier].retry.maximumAttempts,
          error,
        });
        if (!next || !movesToNextModel(unanswered.report)) {
          throw new TierUnansweredError({
            reports: [...skipped, unanswered.report],
            reason: unanswered.reason,
            cause: error as ActivityFailure,
          });
        }
        log.warn('tier falls back to its next model', {
          route: policy.route,
          requestId: request.requestId,
          tier,
          model: model.model,
          next: next.model,
          status: unanswered.report.status,
          errorType: unanswered.report.errorType,
        });
        skipped.push({ ...unanswered.report, fallbackTo: next.model });
      }
    }
    throw new Error('unreachable: a tier names at least one model');
  };

  return {
    answerTier,
    callTier,

    async gatherSamples(needs, model) {
      const total = needs.extraSamples + 1;
      return Promise.all(
        Array.from({ length: needs.extraSamples }, async (_unused, index) => {
          try {
            const sample = await callTier('cheap', {
              summarySuffix: `sample ${index + 2}/${total}`,
              temperature: needs.sampleTemperature,
              // The samples come from the model whose answer they check (a fallback's, when one answered).
              ...(model && model !== policy.cheap.model ? { model } : {}),
            });
            return { text: sample.text, report: { ...answeredReport(sample), role: 'sample' as const } };
          } catch (error) {
            const report = classifyFailure({
              tier: 'cheap',
              model: (model ?? policy.cheap.model).model,
              maximumAttempts: policy.cheap.retry.maximumAttempts,
              error,
            }).report;
            return { text: '', report: { ...report, role: 'sample' as const } };
          }
        }),
      );
    },

    async gatherJudgements(needs, answer) {
      return Promise.all(
        needs.judges.map(async (judge: JudgeGateSpec) => {
          // Config resolution turns a model name into its spec; a raw policy must carry the spec.
          if (typeof judge.model === 'string') {
            throw toApplicationFailure(
              new CascadeError({
                type: failureTypes.invalidConfiguration,
                message: `judge gate names model "${judge.model}": a policy must carry the judge's model spec`,
              }),
            );
          }
          const model = judge.model;
          try {
            const output = await judgeAnswer.executeWithOptions(
              {
                summary: `judge · ${model.model}`,
                // Judges are small models: the cheap tier's budget.
                startToCloseTimeout: policy.cheap.timeoutMs + activityTimeoutGraceMs,
                retry: retryOptions(policy.cheap.retry),
              },
              [
                {
                  route: policy.route,
                  requestId: request.requestId,
                  model,
                  rubric: judge.rubric,
                  messages: request.messages,
                  answer,
                  timeoutMs: policy.cheap.timeoutMs,
                  retryAfterCapMs: policy.retryAfterCapMs,
                  ...datasetRow,
                },
              ],
            );
            return { judgement: output.judgement, report: answeredReport(output.call) };
          } catch (error) {
            const { report } = classifyFailure({
              tier: 'judge',
              model: model.model,
              maximumAttempts: policy.cheap.retry.maximumAttempts,
              error,
            });
            return { judgement: { score: 0, reason: `judge unavailable (${report.errorType})` }, report };
          }
        }),
      );
    },
  };
}

/**
 * The model spec a call sends: the route's, with the request's temperature and its bound of generated
 * tokens (under the route's own). Unchanged when the request sets neither, so such a request's activity
 * inputs stay as they always were.
 */
function requestedModel(
  spec: ModelSpec,
  requested: { temperature: number | undefined; maxOutputTokens: number | undefined },
): ModelSpec {
  let model = spec;
  if (requested.temperature !== undefined) model = { ...model, temperature: requested.temperature };
  if (requested.maxOutputTokens !== undefined)
    model = { ...model, maxOutputTokens: Math.min(requested.maxOutputTokens, spec.maxOutputTokens ?? Infinity) };
  return model;
}

export function retryOptions(retry: RetrySpec) {
  return {
    initialInterval: retry.initialIntervalMs,
    backoffCoefficient: retry.backoffCoefficient,
    maximumInterval: retry.maximumIntervalMs,
    maximumAttempts: retry.maximumAttempts,
    nonRetryableErrorTypes: [...nonRetryableFailureTypes],
  };
}

export function answeredReport(answer: ModelAnswer): TierReport {
  return {
    tier: answer.tier,
    model: answer.model,
    status: 'answered',
    attempts: answer.attempt,
    latencyMs: answer.latencyMs,
    cost: answer.cost,
    usage: { inputTokens: answer.usage.inputTokens, outputTokens: answer.usage.outputTokens },
    ...(answer.usage.estimated ? { usageEstimated: true as const } : {}),
    ...(answer.possiblyBilledCalls ? { possiblyBilledCalls: answer.possiblyBilledCalls } : {}),
  };
}

/**
 * Whether a tier moves on from a model that gave no answer: it was unavailable after its own retries (5xx,
 * timeouts, connection errors), rate limited beyond what the tier waits, or refused by its open circuit. A
 * request the provider rejects (4xx) would be rejected by the next one too, and a setup failure must show.
 */
export function movesToNextModel(report: TierReport): boolean {
  return (
    report.status === 'timeout' ||
    report.status === 'unavailable' ||
    report.status === 'circuit_open' ||
    report.errorType === failureTypes.providerRateLimited
  );
}

/** How a skipped model is named in the summary of the next call: its status, or its failure type. */
function skipNote(report: TierReport): string {
  return report.status === 'unavailable' || report.status === 'request_rejected'
    ? (report.errorType ?? report.status)
    : report.status;
}

export function classifyFailure(options: {
  tier: TierReport['tier'];
  model: string;
  maximumAttempts: number;
  error: unknown;
}): { report: TierReport; reason: string } {
  const { error } = options;
  if (!(error instanceof ActivityFailure)) throw error;
  const cause = error.cause;
  const errorType =
    cause instanceof ApplicationFailure
      ? (cause.type ?? failureTypes.untypedApplicationFailure)
      : cause instanceof TimeoutFailure
        ? failureTypes.activityTimeout
        : failureTypes.activityFailure;
  const timedOut = cause instanceof TimeoutFailure || errorType === failureTypes.providerTimeout;
  // Refused by an open circuit (newer than every older history): nothing was sent.
  const circuitOpen = errorType === failureTypes.circuitOpen;
  // A 429 beyond the Retry-After cap is not retried when a fallback can answer instead; still unavailable.
  const rejected =
    cause instanceof ApplicationFailure && cause.nonRetryable && errorType !== failureTypes.providerRateLimited;
  const status: TierReport['status'] = circuitOpen
    ? 'circuit_open'
    : timedOut
      ? 'timeout'
      : rejected
        ? 'request_rejected'
        : 'unavailable';
  const reason = circuitOpen
    ? escalationReasons.cheapCircuitOpen
    : timedOut
      ? escalationReasons.cheapTimeout
      : rejected
        ? escalationReasons.cheapRequestRejected
        : escalationReasons.cheapUnavailable;
  return {
    reason,
    report: {
      tier: options.tier,
      model: options.model,
      status,
      // The activity reports the attempt that failed; a server-side timeout spent the whole budget.
      attempts: attemptOf(cause) ?? options.maximumAttempts,
      latencyMs: undefined,
      cost: billedCostOf(cause) ?? { usd: 0, source: 'unpriced' },
      ...possiblyBilledOf(cause),
      errorType,
      errorMessage: cause?.message ?? error.message,
    },
  };
}

function attemptOf(cause: unknown): number | undefined {
  if (!(cause instanceof ApplicationFailure)) return undefined;
  const details = cause.details?.[0] as { attempt?: unknown } | undefined;
  return typeof details?.attempt === 'number' ? details.attempt : undefined;
}

/**
 * What a failed call was billed, when its failure says so: an answer without content, or one too long to
 * keep, was still billed. Both failure types are newer than every older history, which replays unchanged.
 */
function billedCostOf(cause: unknown): CostLine | undefined {
  const billedTypes: ReadonlyArray<string | null | undefined> = [
    failureTypes.providerEmptyAnswer,
    failureTypes.providerAnswerTooLarge,
  ];
  if (!(cause instanceof ApplicationFailure) || !billedTypes.includes(cause.type)) return undefined;
  const cost = (cause.details?.[0] as { cost?: Partial<CostLine> } | undefined)?.cost;
  if (typeof cost?.usd !== 'number' || !Number.isFinite(cost.usd) || cost.usd < 0) return undefined;
  return { usd: cost.usd, source: cost.source ?? 'unpriced' };
}

/** The calls of a failed tier cut off before the provider answered, as its last failure counts them. */
function possiblyBilledOf(cause: unknown): { possiblyBilledCalls?: number } {
  if (!(cause instanceof ApplicationFailure)) return {};
  const count = (cause.details?.[0] as { possiblyBilledCalls?: unknown } | undefined)?.possiblyBilledCalls;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? { possiblyBilledCalls: count } : {};
}
