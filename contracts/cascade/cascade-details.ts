import type { CascadeCost, CascadeOutcome, TierReport } from './cascade-result';
import { describeOutcome, formatUsd } from './describe-outcome';
import type { GateVerdict } from './gate-verdict';
import type { RoutePolicy } from './route-policy';

/**
 * What the Web UI shows as a cascade's details, as Markdown: the outcome line, the models, the gate and
 * its verdict (scores against thresholds, each part of a composite gate), every model call with its
 * attempts and cost, and the saving. Built from what the history already holds, never from the
 * request's or the answer's text.
 */
export function cascadeDetails(options: {
  policy: RoutePolicy;
  /** Absent while the cascade runs. */
  outcome?: CascadeOutcome;
  /** The reason the outcome line names: the escalation reason, or for a failure its error type. */
  reason?: string;
  /** Why the cascade escalated (or, failed, why it had escalated), when it did. */
  escalationReason?: string;
  verdict?: GateVerdict;
  tiers: TierReport[];
  cost?: CascadeCost;
  /** Why a failed cascade failed, one line. */
  failure?: string;
}): string {
  const { policy } = options;
  const heading = options.outcome
    ? describeOutcome({
        route: policy.route,
        outcome: options.outcome,
        reason: options.reason,
        costUsd: options.cost?.totalUsd ?? 0,
      })
    : `${policy.route} · running`;
  const flagshipOnly = policy.mode === 'flagship-only';
  const sections = [
    `**${cell(heading)}**`,
    [
      '| | |',
      '|---|---|',
      `| Cheap model | ${flagshipOnly ? 'not called (flagship-only route)' : tierCell(policy.cheap)} |`,
      `| Flagship model | ${tierCell(policy.flagship)} |`,
      `| Gate | ${flagshipOnly ? 'none (flagship-only route)' : `\`${cell(policy.gate.kind)}\`${options.verdict ? ` · ${verdictSummary(options.verdict)}` : ''}`} |`,
      ...(options.escalationReason ? [`| Escalation reason | \`${cell(options.escalationReason)}\` |`] : []),
      ...(options.failure ? [`| Failure | ${cell(options.failure)} |`] : []),
    ].join('\n'),
  ];
  if (options.verdict) sections.push(verdictTable(options.verdict));
  if (options.tiers.length > 0) sections.push(callTable(options.tiers));
  if (options.cost) sections.push(costTable(options.cost));
  return sections.join('\n\n');
}

/**
 * A verdict in one line, for activity summaries and the details: `all rejected (json_invalid) · score
 * 0.00`, `confidence passed · score 0.91 ≥ 0.80`.
 */
export function verdictSummary(verdict: GateVerdict): string {
  const decision = verdict.passed ? 'passed' : `rejected (${verdict.reasons.join(', ') || 'gate_rejected'})`;
  return `${verdict.gate} ${decision} · ${scoreAgainstThreshold(verdict)}`;
}

function scoreAgainstThreshold(verdict: GateVerdict): string {
  const score = `score ${verdict.score.toFixed(2)}`;
  if (verdict.threshold === undefined) return score;
  return `${score} ${verdict.score >= verdict.threshold ? '≥' : '<'} ${verdict.threshold.toFixed(2)}`;
}

function verdictTable(verdict: GateVerdict): string {
  const rows: string[] = [];
  const visit = (node: GateVerdict, depth: number) => {
    const signal =
      node.signal === undefined
        ? ''
        : `${node.signal.toFixed(3)}${node.signalThreshold === undefined ? '' : ` (held to ${node.signalThreshold.toFixed(3)})`}`;
    rows.push(
      `| ${'↳ '.repeat(depth)}\`${cell(node.gate)}\` | ${node.passed ? 'passed' : 'rejected'} | ${node.score.toFixed(2)} | ${node.threshold === undefined ? '' : node.threshold.toFixed(2)} | ${signal} | ${cell(node.detail)} |`,
    );
    for (const child of node.children ?? []) visit(child, depth + 1);
  };
  visit(verdict, 0);
  return ['| Gate | Verdict | Score | Threshold | Signal | Detail |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function callTable(tiers: TierReport[]): string {
  const rows = tiers.map((report) => {
    const call = report.role && report.role !== 'answer' ? `${report.tier} (${report.role})` : report.tier;
    const status = `${report.errorType ? `${report.status}: ${report.errorType}` : report.status}${report.fallbackTo ? ` → fell back to ${report.fallbackTo}` : ''}`;
    const tokens = report.usage ? `${report.usage.inputTokens ?? '?'} / ${report.usage.outputTokens ?? '?'}` : '';
    const latency = report.latencyMs === undefined ? '' : `${Math.round(report.latencyMs)} ms`;
    return `| ${call} | \`${cell(report.model)}\` | ${cell(status)} | ${report.attempts} | ${tokens}${report.usageEstimated ? ' (estimated)' : ''} | ${latency} | ${formatUsd(report.cost.usd)} |`;
  });
  return [
    '| Call | Model | Status | Attempts | Tokens in / out | Latency | Cost |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function costTable(cost: CascadeCost): string {
  const saving = cost.savingUsd < 0 ? `−${formatUsd(-cost.savingUsd)}` : formatUsd(cost.savingUsd);
  return [
    '| Cheap | Flagship | Judges | Total | Flagship only | Saving |',
    '|---|---|---|---|---|---|',
    `| ${formatUsd(cost.cheapUsd)} | ${formatUsd(cost.flagshipUsd)} | ${formatUsd(cost.judgeUsd)} | ${formatUsd(cost.totalUsd)} | ${formatUsd(cost.flagshipOnlyUsd)} | ${saving} |`,
    ...(cost.possiblyBilledCalls
      ? [`\n${cost.possiblyBilledCalls} call(s) may have been billed without a recorded cost.`]
      : []),
  ].join('\n');
}

/** A tier's model, then its fallbacks in order. */
function tierCell(tier: RoutePolicy['cheap']): string {
  const fallbacks = tier.fallbackModels ?? [];
  return [modelCell(tier.model), ...fallbacks.map((model) => `fallback ${modelCell(model)}`)].join(', then ');
}

function modelCell(model: RoutePolicy['cheap']['model']): string {
  return `\`${cell(model.model)}\` (${model.provider})`;
}

/** Text that stays inside one table cell: no pipes, no line breaks, no backticks, bounded. */
function cell(text: string): string {
  const flat = text
    .replace(/[\r\n]+/g, ' ')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'");
  return flat.length > 200 ? `${flat.slice(0, 199)}…` : flat;
}
