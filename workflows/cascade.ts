import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  type ApplicationFailure,
  log,
  patched,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { canarySampled, type CanaryCheckInput } from '../contracts/cascade/canary';
import { backfillCascadeWorkflowIdOf, backfillWorkflowIdOf } from '../contracts/backfill/backfill-job';
import {
  cascadeWorkflowInputSchema,
  workflowIdOf,
  type CascadeWorkflowInput,
} from '../contracts/cascade/cascade-request';
import { CascadeError } from '../contracts/cascade-error';
import { toApplicationFailure } from '../contracts/to-application-failure';
import type { CascadeCost, CascadeResult, TierReport } from '../contracts/cascade/cascade-result';
import type { FinishedCascade } from '../contracts/cascade/finished-cascade';
import { failureTypes } from '../contracts/failure-types';
import { gateSignalNeeds } from '../contracts/cascade/gate-signals';
import { escalationReasons } from '../contracts/cascade/gate-verdict';
import type { ModelAnswer } from '../contracts/cascade/model-answer';
import type { ModelSpec, RoutePolicy } from '../contracts/cascade/route-policy';
import { searchAttributes } from '../contracts/search-attributes';
import { cascadeDetails, verdictSummary } from '../contracts/cascade/cascade-details';
import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import { messageBytes, messageTextProblems } from '../contracts/cascade/message-text-problems';
import {
  checkBudget,
  evaluateGate,
  preRoute,
  priceUsage,
  recordOutcome,
  resolveRoute,
  startCanaryCheck,
} from './activity-proxies';
import { preRoutingReason, type PreRoutingDecision } from '../contracts/cascade/pre-routing';
import { budgetLabel, type BudgetCheck } from '../contracts/cascade/budget';
import { parseWorkflowInput } from './parse-workflow-input';
import { TierUnansweredError, answeredReport, modelCalls, type ModelCalls } from './tier-calls';

/**
 * Histories written before the cost ledger and the report attributes (judge cost, answering tier)
 * replay without them.
 */
const ledgerPatch = 'cascade-ledger-and-report-attributes';

/**
 * Histories written before the worker owned the policy ran a policy from the input unchecked, did not
 * hold the workflow id to the request id, and took any message text; they replay that way.
 */
const trustBoundariesPatch = 'cascade-trust-boundaries';

/** Histories written before canaries started none; a cascade whose route has a canary starts one from this version. */
const canaryPatch = 'cascade-canary';

/** Histories written before budgets checked none; every cascade checks its customer's and route's from this version. */
const budgetPatch = 'cascade-budgets';

const backfillWorkflowIdPrefix = backfillWorkflowIdOf('');

/** A finished cascade's ledger row as the workflow builds it; `writeLedgerRow` adds where and when it ran. */
type LedgerRow = Omit<FinishedCascade, 'workflowId' | 'runId' | 'startedAt' | 'backfillJob'>;

/**
 * The policy that runs: the worker's own resolution of the route, or the input's policy once the worker
 * has checked it against its configuration (`resolveRoute`, which also holds the text to the size
 * limit); either is recorded in the history. Before that, the workflow id must be the one the request id
 * gives, so a request id cannot be billed twice under two workflow ids, and every message must hold
 * text a provider can take.
 */
async function runnablePolicy(request: CascadeWorkflowInput): Promise<RoutePolicy> {
  if (!patched(trustBoundariesPatch)) {
    return (
      request.policy ??
      (await resolveRoute.executeWithOptions({ summary: `resolve route ${request.route}` }, [{ route: request.route }]))
    );
  }
  const { workflowId, parent } = workflowInfo();
  // A back-fill job starts its cascades as children, under ids of its own.
  const expected = parent?.workflowId.startsWith(backfillWorkflowIdPrefix)
    ? backfillCascadeWorkflowIdOf(parent.workflowId.slice(backfillWorkflowIdPrefix.length), request.requestId)
    : workflowIdOf(request.requestId);
  if (workflowId !== expected) {
    throw toApplicationFailure(
      new CascadeError({
        type: failureTypes.requestIdMismatch,
        message: `workflow id "${workflowId}" does not match request id "${request.requestId}": start it as "${expected}" (CascadeClient does), so one request id is one execution`,
      }),
    );
  }
  const textProblems = messageTextProblems(request.messages, Number.POSITIVE_INFINITY);
  if (textProblems.length > 0) {
    throw toApplicationFailure(
      new CascadeError({
        type: failureTypes.invalidRequest,
        message: `invalid cascade request: ${textProblems.join('; ')}`,
      }),
    );
  }
  const summary = request.policy
    ? `check the supplied policy of route ${request.route}`
    : `resolve route ${request.route}`;
  // The worker holds the size limit (`limits.maximumRequestBytes`); the text itself stays out of this call.
  return resolveRoute.executeWithOptions({ summary }, [
    {
      route: request.route,
      requestBytes: messageBytes(request.messages),
      ...(request.policy ? { policy: request.policy } : {}),
    },
  ]);
}

/** Failures of the worker's setup, not of the cheap model: escalating would hide them. */
const setupFailureTypes = new Set<string>([failureTypes.missingApiKey, failureTypes.modelNotAllowed]);

/**
 * Whether a tier's failure is the worker's setup. A key the provider refuses (401, 403) is too, from the
 * trust-boundaries version on: escalating would send every request to the flagship until it is fixed.
 */
function isSetupFailure(errorType: string | undefined): boolean {
  if (setupFailureTypes.has(errorType ?? '')) return true;
  return errorType === failureTypes.providerAuthenticationFailed && patched(trustBoundariesPatch);
}

/**
 * One request through a cascade: the cheap tier answers, the route's gate judges the answer, and a
 * rejected (or missing) answer escalates to the flagship **at most once**. Every decision is in the
 * history: the policy, each call with its attempts, the gate's verdict, the costs. A flagship-only
 * route asks the flagship once instead (`callFlagshipAlone`).
 */
export async function cascade(rawInput: CascadeWorkflowInput): Promise<CascadeResult> {
  const request = parseWorkflowInput({ schema: cascadeWorkflowInputSchema, rawInput, what: 'cascade request' });
  const policy = await runnablePolicy(request);
  const tags = request.tags ?? {};
  upsertSearchAttributes([
    { key: searchAttributes.route, value: policy.route },
    ...(tags.customer ? [{ key: searchAttributes.customer, value: tags.customer }] : []),
  ]);
  setCurrentDetails(cascadeDetails({ policy, tiers: [] }));
  const calls = modelCalls(policy, request);
  // Before anything is spent: a budget at its hard cap refuses the request, or holds it to the cheap tier.
  const budget = await checkBudgetOf(policy, tags);
  const cheapOnly = budget?.state === 'hard' && budget.action === 'cheap-only';
  if (budget?.state === 'hard' && (!cheapOnly || policy.mode === 'flagship-only'))
    throw await refuse({ request, policy, tags, budget });
  const budgetNote = budget && budget.state !== 'ok' && budget.state !== 'none' ? { budget } : {};
  // Only policies that name the mode take this path, so no history written before it changes.
  if (policy.mode === 'flagship-only') return callFlagshipAlone({ request, policy, tags, calls, budget });
  // Only policies with pre-routing ask, so no history written before it changes either.
  if (policy.preRouting) {
    const decision = await preRoute.executeWithOptions({ summary: 'pre-routing' }, [
      {
        policy,
        messages: request.messages,
        tags,
        ...(request.outputSchema ? { outputSchema: request.outputSchema } : {}),
      },
    ]);
    if (decision.direct && cheapOnly && budget)
      throw await refuse({ request, policy, tags, budget, needsFlagship: preRoutingReason(decision) });
    if (decision.direct) return callFlagshipAlone({ request, policy, tags, calls, preRouted: decision, budget });
  }
  const tierReports: TierReport[] = [];

  // 1. The cheap tier (its fallback models in turn, when it names any). If it cannot answer within its
  // small retry budget, that is a rejection too.
  let cheapAnswer: ModelAnswer | undefined;
  let cheapModel: ModelSpec | undefined;
  let escalationReason: string | undefined;
  try {
    const answered = await calls.answerTier('cheap');
    cheapAnswer = answered.answer;
    cheapModel = answered.model;
    tierReports.push(...answered.reports);
  } catch (error) {
    const unanswered = tierUnanswered(error);
    if (isSetupFailure(unanswered.last.errorType) || cheapOnly)
      throw await fail({
        request,
        policy,
        tags,
        reason: unanswered.reason,
        tierReports: unanswered.reports,
        error: unanswered.cause,
        ...(cheapOnly && budget ? { budget } : {}),
      });
    tierReports.push(...unanswered.reports);
    escalationReason = unanswered.reason;
  }

  // 2. The gate, when there is an answer to judge, with the extra samples and judgements it needs.
  let evaluation: Awaited<ReturnType<typeof evaluateGate>> | undefined;
  if (cheapAnswer) {
    const needs = gateSignalNeeds(policy.gate);
    const [samples, judgements] = await Promise.all([
      calls.gatherSamples(needs, cheapModel),
      calls.gatherJudgements(needs, cheapAnswer.text),
    ]);
    tierReports.push(...samples.map((sample) => sample.report), ...judgements.map((judged) => judged.report));
    evaluation = await evaluateGate.executeWithOptions({ summary: `gate · ${policy.gate.kind}` }, [
      {
        gate: policy.gate,
        text: cheapAnswer.text,
        outputSchema: request.outputSchema,
        ...(cheapAnswer.logprobs ? { logprobs: cheapAnswer.logprobs } : {}),
        ...(samples.length > 0 ? { samples: samples.map((sample) => sample.text) } : {}),
        ...(judgements.length > 0 ? { judgements: judgements.map((judged) => judged.judgement) } : {}),
      },
    ]);
    if (!evaluation.verdict.passed) escalationReason = evaluation.verdict.reasons[0] ?? 'gate_rejected';
    setCurrentDetails(cascadeDetails({ policy, verdict: evaluation.verdict, tiers: tierReports }));
  }
  const verdictNote = evaluation ? ` · ${verdictSummary(evaluation.verdict)}` : '';

  // 3. Accepted at the cheap tier.
  if (cheapAnswer && evaluation?.verdict.passed) {
    const flagshipOnly = await flagshipPriceOf(policy, cheapAnswer, verdictNote);
    const shadow = request.shadowFlagship ? await shadowFlagship(calls) : undefined;
    const result: CascadeResult = {
      requestId: request.requestId,
      route: policy.route,
      outcome: 'accepted',
      answer: answerOf(cheapAnswer, evaluation.json),
      verdict: evaluation.verdict,
      tiers: tierReports,
      cost: costOf(tierReports, shadow?.report.status === 'answered' ? shadow.report.cost.usd : flagshipOnly.usd),
      ...(shadow ? { shadow } : {}),
      ...budgetNote,
      tags,
      policy,
    };
    // The canary starts while the outcome is recorded, so the answer waits for neither its call nor its start.
    const [finished] = await Promise.all([
      finish(result),
      startCanary({ request, policy, answer: cheapAnswer, estimateUsd: flagshipOnly.usd }),
    ]);
    return finished;
  }

  // 3b. Held to the cheap tier by a budget at its hard cap: its answer, which the gate rejected, stands.
  if (cheapOnly && cheapAnswer) {
    const flagshipOnly = await flagshipPriceOf(
      policy,
      cheapAnswer,
      ` · budget at its hard cap: cheap only${verdictNote}`,
    );
    return finish({
      requestId: request.requestId,
      route: policy.route,
      outcome: 'cheap_only',
      answer: answerOf(cheapAnswer, evaluation?.json),
      verdict: evaluation?.verdict,
      tiers: tierReports,
      cost: costOf(tierReports, flagshipOnly.usd),
      ...budgetNote,
      tags,
      policy,
    });
  }

  // 4. The one escalation. There is no path back to this point: the flagship is asked once.
  const reason = escalationReason ?? 'gate_rejected';
  log.info('cascade escalated', {
    route: policy.route,
    requestId: request.requestId,
    reason,
    cheapModel: policy.cheap.model.model,
    flagshipModel: policy.flagship.model.model,
    verdict: evaluation?.verdict.detail,
  });
  let flagshipAnswer: ModelAnswer;
  try {
    const answered = await calls.answerTier('flagship', { summarySuffix: `escalation: ${reason}${verdictNote}` });
    flagshipAnswer = answered.answer;
    tierReports.push(...answered.reports);
  } catch (error) {
    const unanswered = tierUnanswered(error);
    throw await fail({
      request,
      policy,
      tags,
      reason,
      verdict: evaluation?.verdict,
      tierReports: [...tierReports, ...unanswered.reports],
      error: unanswered.cause,
    });
  }
  const result: CascadeResult = {
    requestId: request.requestId,
    route: policy.route,
    outcome: 'escalated',
    answer: answerOf(flagshipAnswer, undefined),
    escalationReason: reason,
    verdict: evaluation?.verdict,
    tiers: tierReports,
    cost: costOf(tierReports, flagshipAnswer.cost.usd),
    ...budgetNote,
    tags,
    policy,
  };
  return finish(result);
}

/** What the flagship alone would have charged for the cheap answer's tokens; `note` ends the summary. */
function flagshipPriceOf(policy: RoutePolicy, cheapAnswer: ModelAnswer, note: string) {
  return priceUsage.executeWithOptions({ summary: `flagship-only price · ${policy.flagship.model.model}${note}` }, [
    { model: policy.flagship.model, usage: cheapAnswer.usage },
  ]);
}

/**
 * The budgets of the request's customer and route, from the cost ledger (`checkBudget`), in histories from
 * the budgets version on; a soft cap passed is logged. `undefined` in older histories.
 */
async function checkBudgetOf(policy: RoutePolicy, tags: Record<string, string>): Promise<BudgetCheck | undefined> {
  if (!patched(budgetPatch)) return undefined;
  const check = await checkBudget.executeWithOptions({ summary: 'budget' }, [
    { route: policy.route, ...(tags.customer ? { customer: tags.customer } : {}) },
  ]);
  if (check.state === 'soft' && check.deciding)
    log.warn('budget past its soft cap', {
      route: policy.route,
      budget: budgetLabel(check.deciding.limit),
      spentUsd: check.deciding.spentUsd,
      softUsd: check.deciding.limit.softUsd,
    });
  return check;
}

/**
 * Refuses a request whose budget is at its hard cap, before any model call: recorded as `refused` (cost 0)
 * where operators look, and failed with `BudgetExceeded`, whose details say which budget and when it resets.
 */
async function refuse(options: {
  request: CascadeWorkflowInput;
  policy: RoutePolicy;
  tags: Record<string, string>;
  budget: BudgetCheck;
  /** Why the request needed the flagship, when the budget allowed the cheap tier only. */
  needsFlagship?: string;
}): Promise<ApplicationFailure> {
  const { request, policy, tags, budget } = options;
  const standing = budget.deciding!;
  const cost = costOf([], 0);
  const why = options.needsFlagship
    ? `the request needs the flagship (${options.needsFlagship}) and the budget allows the cheap tier only`
    : 'the request was refused before any model call';
  const message = `budget ${budgetLabel(standing.limit)} is at its hard cap: $${standing.spentUsd.toFixed(4)} spent of $${standing.limit.hardUsd} until ${standing.periodEnd}; ${why}`;
  const reason = 'budget_exceeded';
  await recordEnd({
    attributes: [
      { key: searchAttributes.outcome, value: 'refused' },
      { key: searchAttributes.escalationReason, value: reason },
      { key: searchAttributes.costUsd, value: 0 },
    ],
    ledgerAttributes: [{ key: searchAttributes.judgeCostUsd, value: 0 }],
    details: cascadeDetails({
      policy,
      outcome: 'refused',
      reason: budgetLabel(standing.limit),
      tiers: [],
      cost,
      failure: message,
    }),
    ledgerSummary: 'refused',
    ledgerRow: {
      requestId: request.requestId,
      route: policy.route,
      outcome: 'refused',
      escalationReason: reason,
      failureType: failureTypes.budgetExceeded,
      cost,
      tags,
    },
  });
  return toApplicationFailure(
    new CascadeError({
      type: failureTypes.budgetExceeded,
      message,
      details: { requestId: request.requestId, route: policy.route, refused: true, budget: standing, cost, tags },
    }),
  );
}

/**
 * A flagship-only route, or a request its route's pre-routing sends to the flagship: the flagship once,
 * under its tier's timeout and retry policy, and no cheap call or gate. A flagship-only route's result
 * reads as an escalation (`direct_to_flagship`, no verdict); a pre-routed one's outcome is `pre_routed`,
 * its reason what sent it (`context_window`, `rule: <name>`). Either's flagship-only cost is what it paid
 * (saving 0); a flagship that gives no answer fails it as it fails a cascade.
 */
async function callFlagshipAlone(options: {
  request: CascadeWorkflowInput;
  policy: RoutePolicy;
  tags: Record<string, string>;
  calls: ModelCalls;
  preRouted?: Extract<PreRoutingDecision, { direct: true }>;
  budget?: BudgetCheck;
}): Promise<CascadeResult> {
  const { request, policy, tags, preRouted } = options;
  const reason = preRouted ? preRoutingReason(preRouted) : escalationReasons.directToFlagship;
  let answered: Awaited<ReturnType<ModelCalls['answerTier']>>;
  try {
    answered = await options.calls.answerTier('flagship', {
      summarySuffix: preRouted ? `pre-routed · direct_to_flagship: ${reason}` : 'flagship-only route',
    });
  } catch (error) {
    const unanswered = tierUnanswered(error);
    throw await fail({ request, policy, tags, reason, tierReports: unanswered.reports, error: unanswered.cause });
  }
  const flagshipAnswer = answered.answer;
  const tierReports = answered.reports;
  return finish({
    requestId: request.requestId,
    route: policy.route,
    outcome: preRouted ? 'pre_routed' : 'escalated',
    answer: answerOf(flagshipAnswer, undefined),
    escalationReason: reason,
    ...(preRouted
      ? {
          preRouting: {
            reason: preRouted.reason,
            ...(preRouted.rule ? { rule: preRouted.rule } : {}),
            detail: preRouted.detail,
          },
        }
      : {}),
    ...(options.budget?.state === 'soft' ? { budget: options.budget } : {}),
    tiers: tierReports,
    cost: costOf(tierReports, flagshipAnswer.cost.usd),
    tags,
    policy,
  });
}

/**
 * Starts the canary of an accepted request when its route has one and the request id falls in its sample:
 * a `canaryCheck` workflow of its own (`canary-<requestId>`), started by a local activity, which outlives
 * this one. A canary that cannot start is logged; the answer stands.
 */
async function startCanary(options: {
  request: CascadeWorkflowInput;
  policy: RoutePolicy;
  answer: ModelAnswer;
  estimateUsd: number;
}): Promise<void> {
  const { request, policy } = options;
  if (!policy.canary || !canarySampled(request.requestId, policy.canary.share)) return;
  if (!patched(canaryPatch)) return;
  const input: CanaryCheckInput = {
    requestId: request.requestId,
    route: policy.route,
    cascadeWorkflowId: workflowInfo().workflowId,
    messages: request.messages,
    accepted: { model: options.answer.model, text: options.answer.text },
    estimateUsd: options.estimateUsd,
    tags: request.tags ?? {},
    ...(request.datasetRowId === undefined ? {} : { datasetRowId: request.datasetRowId }),
  };
  try {
    await startCanaryCheck.executeWithOptions({ summary: `canary · start (share ${policy.canary.share})` }, [input]);
  } catch (error) {
    log.warn('the canary did not start', { route: policy.route, error: (error as Error).message });
  }
}

/** The flagship's answer to an accepted request, for evaluation runs; its failure never fails the cascade. */
async function shadowFlagship(calls: ModelCalls): Promise<NonNullable<CascadeResult['shadow']>> {
  try {
    const { answer } = await calls.answerTier('flagship', { summarySuffix: 'shadow' });
    return { model: answer.model, text: answer.text, report: { ...answeredReport(answer), role: 'shadow' } };
  } catch (error) {
    const { last } = tierUnanswered(error);
    return { model: last.model, report: { ...last, role: 'shadow' } };
  }
}

/** The tier failure a tier's call threw; anything else (a cancellation of the workflow, say) goes on up. */
function tierUnanswered(error: unknown): TierUnansweredError {
  if (error instanceof TierUnansweredError) return error;
  throw error;
}

async function finish(result: CascadeResult): Promise<CascadeResult> {
  await recordEnd({
    attributes: [
      { key: searchAttributes.outcome, value: result.outcome },
      { key: searchAttributes.costUsd, value: result.cost.totalUsd },
      { key: searchAttributes.flagshipOnlyCostUsd, value: result.cost.flagshipOnlyUsd },
      ...(result.escalationReason ? [{ key: searchAttributes.escalationReason, value: result.escalationReason }] : []),
    ],
    ledgerAttributes: [
      { key: searchAttributes.judgeCostUsd, value: result.cost.judgeUsd },
      { key: searchAttributes.answerTier, value: result.answer.tier },
      // Kept from the budgets version on, with the answering model in the ledger row.
      ...(patched(budgetPatch) ? [{ key: searchAttributes.answerModel, value: result.answer.model }] : []),
    ],
    details: cascadeDetails({
      policy: result.policy,
      outcome: result.outcome,
      reason: result.escalationReason,
      escalationReason: result.escalationReason,
      verdict: result.verdict,
      tiers: result.tiers,
      cost: result.cost,
    }),
    ledgerSummary: result.verdict ? `${result.outcome} · ${verdictSummary(result.verdict)}` : result.outcome,
    ledgerRow: {
      requestId: result.requestId,
      route: result.route,
      outcome: result.outcome,
      escalationReason: result.escalationReason,
      answerTier: result.answer.tier,
      answerModel: result.answer.model,
      cost: result.cost,
      tags: result.tags,
    },
  });
  return result;
}

/**
 * What every ending records, answered or failed: the search attributes (with the report attributes only in
 * histories written since the ledger patch), the Web UI's current details, and the ledger row.
 */
async function recordEnd(options: {
  attributes: SearchAttributeUpdatePair[];
  ledgerAttributes: SearchAttributeUpdatePair[];
  details: string;
  /** What the ledger activity's summary says after `cost ledger · `. */
  ledgerSummary: string;
  ledgerRow: LedgerRow;
}): Promise<void> {
  const withLedger = patched(ledgerPatch);
  upsertSearchAttributes([...options.attributes, ...(withLedger ? options.ledgerAttributes : [])]);
  setCurrentDetails(options.details);
  if (withLedger) await writeLedgerRow(options.ledgerRow, options.ledgerSummary);
}

/** Hands the finished cascade to the ledger; a ledger that stays down costs its row, not the result. */
async function writeLedgerRow(finished: LedgerRow, summary: string): Promise<void> {
  const info = workflowInfo();
  const backfillJob = info.typedSearchAttributes.get(searchAttributes.backfillJob);
  try {
    await recordOutcome.executeWithOptions({ summary: `cost ledger · ${summary}` }, [
      {
        ...finished,
        workflowId: info.workflowId,
        runId: info.runId,
        startedAt: info.startTime.toISOString(),
        ...(backfillJob ? { backfillJob } : {}),
      },
    ]);
  } catch (error) {
    log.error('the cost ledger did not take the row of this cascade', {
      route: finished.route,
      requestId: finished.requestId,
      error: (error as Error).message,
    });
  }
}

/** Records a failed cascade where operators look, and returns the failure to throw. */
async function fail(options: {
  request: CascadeWorkflowInput;
  policy: RoutePolicy;
  tags: Record<string, string>;
  reason: string;
  /** The gate's verdict, when the cheap answer was judged before the flagship failed. */
  verdict?: GateVerdict;
  tierReports: TierReport[];
  error: unknown;
  /** A budget at its hard cap held the request to the cheap tier, which gave no answer. */
  budget?: BudgetCheck;
}): Promise<ApplicationFailure> {
  const cost = costOf(options.tierReports, 0);
  const last = options.tierReports[options.tierReports.length - 1];
  await recordEnd({
    attributes: [
      { key: searchAttributes.outcome, value: 'failed' },
      { key: searchAttributes.escalationReason, value: options.reason },
      { key: searchAttributes.costUsd, value: cost.totalUsd },
    ],
    ledgerAttributes: [{ key: searchAttributes.judgeCostUsd, value: cost.judgeUsd }],
    details: cascadeDetails({
      policy: options.policy,
      outcome: 'failed',
      reason: last?.errorType ?? options.reason,
      escalationReason: options.reason,
      verdict: options.verdict,
      tiers: options.tierReports,
      cost,
      failure: `the ${last?.tier ?? 'flagship'} tier (${last?.model ?? '?'}) gave no answer: ${last?.errorType ?? 'error'}`,
    }),
    ledgerSummary: 'failed',
    ledgerRow: {
      requestId: options.request.requestId,
      route: options.policy.route,
      outcome: 'failed',
      escalationReason: options.reason,
      failureType: last?.errorType,
      cost,
      tags: options.tags,
    },
  });
  const heldToCheap = options.budget?.deciding
    ? ` (budget ${budgetLabel(options.budget.deciding.limit)} is at its hard cap: no escalation)`
    : '';
  return toApplicationFailure(
    new CascadeError({
      type: options.budget ? failureTypes.budgetExceeded : failureTypes.cascadeFailed,
      message: `cascade on route ${options.policy.route} failed: the ${last?.tier ?? 'flagship'} tier (${last?.model ?? '?'}) gave no answer${heldToCheap}: ${last?.errorType ?? 'error'}: ${last?.errorMessage ?? ''}`,
      details: {
        requestId: options.request.requestId,
        route: options.policy.route,
        escalationReason: options.reason,
        tiers: options.tierReports,
        cost,
        tags: options.tags,
      },
      cause: options.error,
    }),
  );
}

function answerOf(answer: ModelAnswer, json: unknown): CascadeResult['answer'] {
  return {
    tier: answer.tier === 'flagship' ? 'flagship' : 'cheap',
    model: answer.model,
    text: answer.text,
    finishReason: answer.finishReason,
    ...(json !== undefined ? { json } : {}),
  };
}

/** Costs by line; `flagshipOnlyUsd` is what the flagship alone would have cost. A shadow call is not billed here. */
function costOf(reports: TierReport[], flagshipOnlyUsd: number): CascadeCost {
  const sum = (tier: TierReport['tier']) =>
    reports
      .filter((report) => report.tier === tier && report.role !== 'shadow')
      .reduce((total, report) => total + report.cost.usd, 0);
  const cheapUsd = sum('cheap');
  const flagshipUsd = sum('flagship');
  const judgeUsd = sum('judge');
  const totalUsd = cheapUsd + flagshipUsd + judgeUsd;
  const possiblyBilledCalls = reports
    .filter((report) => report.role !== 'shadow')
    .reduce((total, report) => total + (report.possiblyBilledCalls ?? 0), 0);
  return {
    totalUsd,
    cheapUsd,
    flagshipUsd,
    judgeUsd,
    flagshipOnlyUsd,
    savingUsd: flagshipOnlyUsd - totalUsd,
    // Only when there are any, so results without cut-off calls read as before.
    ...(possiblyBilledCalls > 0 ? { possiblyBilledCalls } : {}),
  };
}
