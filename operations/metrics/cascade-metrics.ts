import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FinishedCascade } from '../../contracts/cascade/finished-cascade';
import type { ModelRole } from '../../contracts/cascade/model-answer';
import type { CanaryResult } from '../../contracts/cascade/canary';
import type { BudgetStanding } from '../../contracts/cascade/budget';

/** The label a value takes when it is not one the worker knows (a route it lacks, a customer past the cap). */
export const otherLabel = 'other';

export interface CascadeMetricsOptions {
  /** The routes the worker serves: any other route name (from untrusted input) is counted as `other`. */
  routeNames: readonly string[];
  /**
   * Label requests and costs with the `customer` tag, for at most this many distinct customers (the rest
   * as `other`). @default no customer label
   */
  customerLabelLimit?: number;
  /** Also the process's own metrics (CPU, memory, event loop lag), as `process_*` and `nodejs_*`. @default true */
  processMetrics?: boolean;
}

/** One model call as the metrics see it. */
export interface ModelCallObservation {
  tier: ModelRole;
  /** The provider kind (`openai`, `anthropic`, `openai-compatible`): OpenTelemetry's `gen_ai.system`. */
  provider: string;
  /** The model the route names (`gen_ai.request.model`). */
  model: string;
  durationSeconds: number;
  /** `answered`, or the failure type of the attempt. */
  result: string;
  inputTokens?: number;
  outputTokens?: number;
}

/** Seconds a cascade or a model call may take, from an instant cache hit to a flagship retried for minutes. */
const durationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];
/** OpenTelemetry's advice for `gen_ai.client.token.usage`. */
const tokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304];

/**
 * A worker's Prometheus metrics, named after OpenTelemetry's GenAI conventions where they have a name
 * (`gen_ai_client_operation_duration_seconds`, `gen_ai_client_token_usage`) and `cascade_*` otherwise.
 * Costs are counters, so PromQL gives escalation rate, saving and cost share over any window:
 * `sum(rate(cascade_cost_usd_total[1h])) / sum(rate(cascade_flagship_only_cost_usd_total[1h]))`. Labels
 * stay bounded: routes the worker has, the customer only when configured (and capped), never a request id
 * or a prompt.
 */
export class CascadeMetrics {
  readonly registry = new Registry();
  private readonly routeNames: ReadonlySet<string>;
  private readonly customerLabelLimit: number | undefined;
  private readonly customers = new Set<string>();
  private readonly requests: Counter;
  private readonly failures: Counter;
  private readonly duration: Histogram;
  private readonly cost: Counter;
  private readonly flagshipOnlyCost: Counter;
  private readonly callDuration: Histogram;
  private readonly callAttempts: Counter;
  private readonly tokens: Histogram;
  private readonly canaryComparisons: Counter;
  private readonly canaryCost: Counter;
  private readonly circuitChanges: Counter;
  private readonly budgetSpent: Gauge;
  private readonly budgetState: Gauge;
  private readonly circuitOpen: Gauge;

  constructor(options: CascadeMetricsOptions) {
    this.routeNames = new Set(options.routeNames);
    this.customerLabelLimit = options.customerLabelLimit;
    const customer = this.customerLabelLimit === undefined ? [] : ['customer'];
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'cascade_requests_total',
      help: 'Cascades finished, by route, outcome (accepted, escalated, failed) and escalation reason (none when accepted).',
      labelNames: ['route', 'outcome', 'escalation_reason', ...customer],
      registers,
    });
    this.failures = new Counter({
      name: 'cascade_failures_total',
      help: 'Cascades that ended without an answer, by route and the failure type of the last call that gave none.',
      labelNames: ['route', 'failure_type'],
      registers,
    });
    this.duration = new Histogram({
      name: 'cascade_duration_seconds',
      help: 'Time from a cascade workflow start to its end, by route and path (accepted, escalated, failed).',
      labelNames: ['route', 'path'],
      buckets: durationBuckets,
      registers,
    });
    this.cost = new Counter({
      name: 'cascade_cost_usd_total',
      help: 'What cascades paid, in USD, by route and tier (cheap with its samples, flagship, judge).',
      labelNames: ['route', 'tier', ...customer],
      registers,
    });
    this.flagshipOnlyCost = new Counter({
      name: 'cascade_flagship_only_cost_usd_total',
      help: 'What the same requests would have cost sent to the flagship alone, in USD, by route.',
      labelNames: ['route', ...customer],
      registers,
    });
    this.callDuration = new Histogram({
      name: 'gen_ai_client_operation_duration_seconds',
      help: 'Duration of one model call attempt (OpenTelemetry gen_ai.client.operation.duration), by tier, provider, model and error type (empty when answered).',
      labelNames: ['cascade_tier', 'gen_ai_system', 'gen_ai_request_model', 'gen_ai_operation_name', 'error_type'],
      buckets: durationBuckets,
      registers,
    });
    this.callAttempts = new Counter({
      name: 'cascade_model_call_attempts_total',
      help: 'Model call attempts, by tier, model and result (answered, or the failure type).',
      labelNames: ['cascade_tier', 'gen_ai_request_model', 'result'],
      registers,
    });
    this.tokens = new Histogram({
      name: 'gen_ai_client_token_usage',
      help: 'Tokens of one answered model call (OpenTelemetry gen_ai.client.token.usage), by token type (input, output), tier and model.',
      labelNames: ['cascade_tier', 'gen_ai_system', 'gen_ai_request_model', 'gen_ai_token_type'],
      buckets: tokenBuckets,
      registers,
    });
    this.canaryComparisons = new Counter({
      name: 'cascade_canary_comparisons_total',
      help: 'Canaries of accepted requests, by route and result: agreed or disagreed with the flagship, skipped_budget (the day budget was spent), failed (no flagship answer).',
      labelNames: ['route', 'result'],
      registers,
    });
    this.canaryCost = new Counter({
      name: 'cascade_canary_cost_usd_total',
      help: 'What canaries paid (the flagship call and any judge), by route, in USD; apart from cascade_cost_usd_total.',
      labelNames: ['route'],
      registers,
    });
    this.circuitChanges = new Counter({
      name: 'cascade_circuit_state_changes_total',
      help: 'Changes of a model endpoint circuit, by provider, model and the state entered (open, half_open, closed).',
      labelNames: ['gen_ai_system', 'gen_ai_request_model', 'state'],
      registers,
    });
    this.circuitOpen = new Gauge({
      name: 'cascade_circuit_open',
      help: 'Whether a model endpoint circuit refuses calls: 1 open or probing (half_open), 0 closed; by provider and model.',
      labelNames: ['gen_ai_system', 'gen_ai_request_model'],
      registers,
    });
    this.budgetSpent = new Gauge({
      name: 'cascade_budget_spent_usd',
      help: "What a budget's customer or route spent in its current period (UTC day or month), in USD, as last checked.",
      labelNames: ['budget_scope', 'budget_name', 'period'],
      registers,
    });
    this.budgetState = new Gauge({
      name: 'cascade_budget_state',
      help: 'Where a budget stands, as last checked: 0 under its caps, 1 past its soft cap, 2 at its hard cap.',
      labelNames: ['budget_scope', 'budget_name', 'period'],
      registers,
    });
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }

  /** Sets a budget's spend and state, as a request's check read them. Budgets are few: each is set by hand. */
  recordBudgetStanding(standing: BudgetStanding): void {
    const labels = {
      budget_scope: standing.limit.scope,
      budget_name: standing.limit.name,
      period: standing.limit.period,
    };
    this.budgetSpent.set(labels, standing.spentUsd);
    this.budgetState.set(labels, standing.state === 'hard' ? 2 : standing.state === 'soft' ? 1 : 0);
  }

  /** Counts a circuit's change of state and sets whether it refuses calls. */
  recordCircuitStateChange(change: { provider: string; model: string; state: string }): void {
    const labels = { gen_ai_system: change.provider, gen_ai_request_model: change.model };
    this.circuitChanges.inc({ ...labels, state: change.state });
    this.circuitOpen.set(labels, change.state === 'closed' ? 0 : 1);
  }

  /** Counts a finished cascade: its outcome, duration and costs. */
  recordCascade(finished: FinishedCascade, durationSeconds: number): void {
    const route = this.routeLabel(finished.route);
    const customer = this.customerLabels(finished.tags.customer);
    this.requests.inc({
      route,
      outcome: finished.outcome,
      escalation_reason: finished.escalationReason ?? 'none',
      ...customer,
    });
    if (finished.outcome === 'failed') this.failures.inc({ route, failure_type: finished.failureType ?? 'unknown' });
    this.duration.observe({ route, path: finished.outcome }, Math.max(0, durationSeconds));
    const costs = { cheap: finished.cost.cheapUsd, flagship: finished.cost.flagshipUsd, judge: finished.cost.judgeUsd };
    for (const [tier, usd] of Object.entries(costs)) this.cost.inc({ route, tier, ...customer }, usd);
    this.flagshipOnlyCost.inc({ route, ...customer }, finished.cost.flagshipOnlyUsd);
  }

  /** Counts a finished canary: its result and its spend. */
  recordCanary(canary: { route: string; result: CanaryResult; costUsd: number }): void {
    const route = this.routeLabel(canary.route);
    this.canaryComparisons.inc({ route, result: canary.result });
    this.canaryCost.inc({ route }, canary.costUsd);
  }

  /** Counts one model call attempt: its duration, result and, when answered, its tokens. */
  recordModelCall(call: ModelCallObservation): void {
    const answered = call.result === 'answered';
    this.callDuration.observe(
      {
        cascade_tier: call.tier,
        gen_ai_system: call.provider,
        gen_ai_request_model: call.model,
        gen_ai_operation_name: 'chat',
        error_type: answered ? '' : call.result,
      },
      call.durationSeconds,
    );
    this.callAttempts.inc({ cascade_tier: call.tier, gen_ai_request_model: call.model, result: call.result });
    const common = { cascade_tier: call.tier, gen_ai_system: call.provider, gen_ai_request_model: call.model };
    if (call.inputTokens !== undefined)
      this.tokens.observe({ ...common, gen_ai_token_type: 'input' }, call.inputTokens);
    if (call.outputTokens !== undefined)
      this.tokens.observe({ ...common, gen_ai_token_type: 'output' }, call.outputTokens);
  }

  private routeLabel(route: string): string {
    return this.routeNames.has(route) ? route : otherLabel;
  }

  private customerLabels(customer: string | undefined): { customer?: string } {
    if (this.customerLabelLimit === undefined) return {};
    const name = customer ?? 'none';
    if (this.customers.has(name)) return { customer: name };
    if (this.customers.size >= this.customerLabelLimit) return { customer: otherLabel };
    this.customers.add(name);
    return { customer: name };
  }
}
