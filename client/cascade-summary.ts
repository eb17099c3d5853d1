import type { CascadeCost, CascadeResult } from '../contracts/cascade/cascade-result';
import { failureTypes, isRetryableFailureType } from '../contracts/failure-types';
import type { CascadeFailedError } from './cascade-errors';

/** What a front door (the HTTP API, the AI SDK model) tells its caller of the cascade behind an answer. */
export interface CascadeSummary {
  requestId: string;
  workflowId: string;
  route: string;
  outcome: CascadeResult['outcome'];
  /** Why the cascade escalated; absent when the cheap answer was accepted. */
  escalationReason?: string;
  /** The tier and model whose answer this is. */
  answeredBy: { tier: CascadeResult['answer']['tier']; model: string };
  /** The gate's verdict on the cheap answer, without its children (absent when the cheap tier gave none). */
  verdict?: { gate: string; passed: boolean; score: number; threshold?: number; reasons: string[]; detail: string };
  cost: CascadeCost;
  /** True when the request joined a cascade already started under its request id: nothing new was billed. */
  existing: boolean;
  /** The workflow in the Temporal Web UI, when its address is known. */
  webUiUrl?: string;
}

export function cascadeSummaryOf(
  result: CascadeResult,
  options: { workflowId: string; existing: boolean; webUiUrl?: string },
): CascadeSummary {
  const verdict = result.verdict;
  return {
    requestId: result.requestId,
    workflowId: options.workflowId,
    route: result.route,
    outcome: result.outcome,
    ...(result.escalationReason ? { escalationReason: result.escalationReason } : {}),
    answeredBy: { tier: result.answer.tier, model: result.answer.model },
    ...(verdict
      ? {
          verdict: {
            gate: verdict.gate,
            passed: verdict.passed,
            score: verdict.score,
            ...(verdict.threshold !== undefined ? { threshold: verdict.threshold } : {}),
            reasons: verdict.reasons,
            detail: verdict.detail,
          },
        }
      : {}),
    cost: result.cost,
    existing: options.existing,
    ...(options.webUiUrl ? { webUiUrl: options.webUiUrl } : {}),
  };
}

/** Tokens of every call a cascade was billed for (both tiers, samples, judges); 0 where a provider reported none. */
export interface BilledUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export function billedUsageOf(result: Pick<CascadeResult, 'tiers'>): BilledUsage {
  let inputTokens = 0;
  let outputTokens = 0;
  for (const report of result.tiers) {
    inputTokens += report.usage?.inputTokens ?? 0;
    outputTokens += report.usage?.outputTokens ?? 0;
  }
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/** The Web UI page of one workflow, or undefined without the UI's address. */
export function workflowWebUiUrl(options: {
  uiUrl: string | undefined;
  namespace: string;
  workflowId: string;
}): string | undefined {
  if (!options.uiUrl) return undefined;
  return `${options.uiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(options.workflowId)}`;
}

/**
 * Whether asking again later may get an answer: a cascade whose last tier failed on something passing (the
 * provider unavailable, rate limited, timed out) may; a bad request, route or configuration will not.
 */
export function cascadeFailureIsRetryable(error: Pick<CascadeFailedError, 'type' | 'details'>): boolean {
  if (error.type !== failureTypes.cascadeFailed) return knownRetryable(error.type);
  const tiers = (error.details as { tiers?: Array<{ errorType?: string }> } | undefined)?.tiers ?? [];
  const lastErrorType = tiers[tiers.length - 1]?.errorType;
  return lastErrorType !== undefined && knownRetryable(lastErrorType);
}

/** Retryable only when the registry says so: a type it does not know is not, here. */
function knownRetryable(type: string): boolean {
  return (Object.values(failureTypes) as string[]).includes(type) && isRetryableFailureType(type);
}

/**
 * The HTTP status a front door answers a failed cascade with: 400 when the workflow found the request bad,
 * 404 when it did not know the route, 429 when a budget at its hard cap refused it, 502 for every other
 * failure (the providers behind it failed).
 */
export function cascadeFailureStatus(type: string): 400 | 404 | 429 | 502 {
  if (type === failureTypes.invalidRequest) return 400;
  if (type === failureTypes.unknownRoute) return 404;
  if (type === failureTypes.budgetExceeded) return 429;
  return 502;
}

/**
 * Seconds until the budget that refused a cascade starts its next period (its `Retry-After`), from the
 * failure's details; `undefined` for any other failure.
 */
export function budgetRetryAfterSeconds(
  error: Pick<CascadeFailedError, 'type' | 'details'>,
  now: Date = new Date(),
): number | undefined {
  if (error.type !== failureTypes.budgetExceeded) return undefined;
  const periodEnd = (error.details as { budget?: { periodEnd?: unknown } } | undefined)?.budget?.periodEnd;
  const end = typeof periodEnd === 'string' ? Date.parse(periodEnd) : Number.NaN;
  return Number.isFinite(end) ? Math.max(1, Math.ceil((end - now.getTime()) / 1000)) : undefined;
}
