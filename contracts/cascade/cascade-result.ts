import type { BudgetCheck } from './budget';
import type { GateVerdict } from './gate-verdict';
import type { CostLine, ModelRole } from './model-answer';
import type { RoutePolicy, Tier } from './route-policy';

/**
 * How a cascade ended: `accepted` at the cheap tier, `escalated` to the flagship, `failed` without an
 * answer; `pre_routed`: sent straight to the flagship by the route's pre-routing, before any cheap call;
 * `cheap_only`: a budget at its hard cap held it to the cheap tier, whose answer the gate rejected and was
 * returned all the same; `refused`: a budget at its hard cap refused it before it spent anything.
 */
export const cascadeOutcomes = ['accepted', 'escalated', 'failed', 'pre_routed', 'cheap_only', 'refused'] as const;
export type CascadeOutcome = (typeof cascadeOutcomes)[number];

/** What one model call of a request did, for the result and the history. */
export interface TierReport {
  tier: ModelRole;
  /**
   * Why the call was made: the tier's `answer`, an extra `sample` of the cheap model for a
   * self-consistency gate, or the flagship's `shadow` answer of an evaluation run. @default 'answer'
   */
  role?: 'answer' | 'sample' | 'shadow';
  /** The model that was asked. */
  model: string;
  /**
   * `answered`, or why not: `timeout`, `unavailable`, `request_rejected`, or `circuit_open` (the worker
   * refused the call without sending it: the endpoint's circuit was open).
   */
  status: 'answered' | 'timeout' | 'unavailable' | 'request_rejected' | 'circuit_open';
  /**
   * The model the tier moved to after this one gave no answer (a tier that names fallback models); absent
   * when this call was the tier's last word.
   */
  fallbackTo?: string;
  /** Attempts the activity made, the successful one included. */
  attempts: number;
  latencyMs: number | undefined;
  cost: CostLine;
  /**
   * The call's input and output tokens as billed (`undefined` where the provider reported none). Absent
   * from reports of calls that gave no answer, and from results recorded before it was reported.
   */
  usage?: { inputTokens: number | undefined; outputTokens: number | undefined };
  /** The provider's token counts were missing or impossible, so `cost` prices a tokenizer's estimate. */
  usageEstimated?: true;
  /** Attempts of this call the provider may have billed whose cost is not in `cost` (see `CascadeCost`). */
  possiblyBilledCalls?: number;
  /** The error type when the tier did not answer. */
  errorType?: string;
  errorMessage?: string;
}

export interface CascadeCost {
  /** What the cascade paid: every call it made (both tiers of an escalated request, samples, judges). */
  totalUsd: number;
  /** The cheap tier, its extra samples included. */
  cheapUsd: number;
  flagshipUsd: number;
  /** Judge calls of the gate. */
  judgeUsd: number;
  /** What the same request would have cost sent straight to the flagship. */
  flagshipOnlyUsd: number;
  /** `flagshipOnlyUsd - totalUsd`; negative when the escalation cost more than the flagship alone. */
  savingUsd: number;
  /**
   * Model calls whose cost is not recorded here although the provider may have billed them: cut off before
   * it answered (a timeout, a killed worker), or answered and lost with a worker killed before the attempt
   * completed. Counted where the worker keeps a model-call journal (a cost ledger); absent when none.
   */
  possiblyBilledCalls?: number;
}

/** The result of a cascade workflow. */
export interface CascadeResult {
  requestId: string;
  route: string;
  outcome: Exclude<CascadeOutcome, 'failed' | 'refused'>;
  /** The accepted answer: the cheap tier's, or the flagship's after an escalation. */
  answer: {
    tier: Tier;
    model: string;
    text: string;
    /**
     * Why the model stopped: `stop`, `length` (the bound of generated tokens), `content-filter`, ... as
     * the adapter normalised it. Absent from results recorded before it was reported.
     */
    finishReason?: string;
    /** The parsed answer when the route checks JSON. */
    json?: unknown;
  };
  /**
   * Why the cascade escalated; absent when the cheap answer was accepted. A pre-routed request's is what
   * sent it to the flagship: `context_window` or `rule: <name>`.
   */
  escalationReason?: string;
  /**
   * The budget that applied, when one is past its soft cap or at its hard cap (`cheap-only`: the answer is
   * the cheap tier's, escalation was not allowed).
   */
  budget?: BudgetCheck;
  /** What sent a `pre_routed` request straight to the flagship, and what was measured or matched. */
  preRouting?: { reason: 'context_window' | 'rule'; rule?: string; detail: string };
  /** The gate's verdict on the cheap answer (absent when the cheap tier gave none). */
  verdict?: GateVerdict;
  tiers: TierReport[];
  cost: CascadeCost;
  /**
   * The flagship's answer to an accepted request, when the request asked for a shadow call
   * (`shadowFlagship`, for evaluation). Its cost is real but reported here, not in `cost`.
   */
  shadow?: { model: string; text?: string; report: TierReport };
  tags: Record<string, string>;
  /** The policy that ran. */
  policy: RoutePolicy;
}
