import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import type { EvaluationRecord } from '../analysis/evaluation-record';
import { breakEven } from '../analysis/break-even';
import { rowsToCertify } from './binomial-bounds';
import { lastCertifiedRung, retargetLossCertification, type Certification } from './certification';
import type { CascadeDecision, RungSummary } from './cascade-verdict';
import { rungFigures, type ThresholdLadder } from './threshold-ladder';
import { describeObjective, objectiveMargin, type TuningObjective } from './tuning-objective';
import { lossPoints, percent } from './format-figures';

/** Options of `decideCascade`. */
export interface DecideCascadeOptions {
  records: readonly EvaluationRecord[];
  ladder: ThresholdLadder;
  objective: TuningObjective;
  certification: Certification;
  /**
   * The least saving, as a share of the flagship-only cost, for which a cascade is worth its extra latency
   * and risk: a cascade that saves less is not written, and a threshold that would save less is no evidence
   * that more rows could make it pay.
   * @default 0.05
   */
  minimumSaving?: number;
}

/** The default of `DecideCascadeOptions.minimumSaving`. */
export const defaultMinimumSaving = 0.05;

/**
 * The verdict on a cascade for these rows (see `CascadeVerdict`), and the threshold when it pays. A cascade
 * is written only where it is certified and costs less than the flagship alone on these rows, with a saving
 * whose lower confidence bound is above 0; otherwise the route calls the flagship alone (or, when nothing
 * meets the objective, is left as it was).
 */
export function decideCascade(options: DecideCascadeOptions): CascadeDecision {
  return options.objective.kind === 'max-cost-per-1k' ? decideForCost(options) : decideForQuality(options);
}

function decideForQuality(options: DecideCascadeOptions): CascadeDecision {
  const { ladder, objective, certification } = options;
  const summaries = ladder.steps.map((_, rung) => summarise(options, rung));
  const flagshipAccuracy = ladder.rows === 0 ? 0 : ladder.flagshipCorrect / ladder.rows;
  const meets = (rung: number) => objectiveMargin(objective, { ...summaries[rung]!, flagshipAccuracy }) >= 0;
  const minimumSaving = options.minimumSaving ?? defaultMinimumSaving;
  const pays = (rung: number) =>
    rung > 0 && summaries[rung]!.savingShare > 0 && summaries[rung]!.savingShare >= minimumSaving;
  const bottom = ladder.steps.length - 1;
  const lossAt = (rung: number) => certification.certifiableLoss[rung]!;
  const payingRungs = summaries.filter((summary) => pays(summary.rung));
  const tightestRung = payingRungs.reduce<RungSummary | undefined>(
    (best, summary) => (best === undefined || lossAt(summary.rung) < lossAt(best.rung) ? summary : best),
    undefined,
  );
  const tightest = tightestRung === undefined ? undefined : { loss: lossAt(tightestRung.rung), cascade: tightestRung };
  const base = {
    method: certification.method,
    confidence: certification.confidence,
    ...(tightest ? { tightest } : {}),
  };
  const context = {
    objective,
    confidence: certification.confidence,
    method: certification.method,
    rows: ladder.rows,
  };

  if (!summaries.some((summary) => meets(summary.rung))) {
    const best = summaries.reduce((left, right) => (right.accuracy > left.accuracy ? right : left));
    return {
      ...base,
      verdict: 'unreachable',
      route: { kind: 'unchanged' },
      explanation: [
        `Unreachable: no route meets ${describeObjective(objective)} on these ${ladder.rows} rows. The flagship alone is right on ${percent(flagshipAccuracy)}, ` +
          `the most accurate cascade on ${percent(best.accuracy)}. The routes file is left as it was.`,
      ],
    };
  }

  const last = lastCertifiedRung(certification.excess);
  if (last >= 1 && pays(last) && summaries[last]!.savingShareLowerBound > 0) {
    const chosen = summaries[last]!;
    const cheapAlone = last === bottom;
    return {
      ...base,
      verdict: cheapAlone ? 'cheap-alone' : 'pays',
      route: { kind: 'cascade', threshold: chosen.threshold },
      chosen,
      certifiedLoss: lossAt(last),
      explanation: [
        cheapAlone
          ? `The cheap model alone meets the target: accepting every answer that passes the gate's deterministic checks keeps ${guarantee(context, lossAt(last))}.`
          : `Pays: ${guarantee(context, lossAt(last))}, escalating ${percent(chosen.escalationRate)} of requests.`,
        `Saving against the flagship alone: ${percent(chosen.savingShare)} on these rows, at least ${percent(chosen.savingShareLowerBound)} with ${percent(certification.confidence)} confidence.`,
        ...tighterTargetLines({ options, summaries, paying: payingRungs, rows: ladder.rows }),
      ],
    };
  }

  const promising = summaries.filter((summary) => pays(summary.rung) && meets(summary.rung));
  if (promising.length === 0) {
    return {
      ...base,
      verdict: 'does-not-pay',
      route: { kind: 'flagship-only' },
      explanation: [
        `Does not pay: call the flagship directly. On these ${ladder.rows} rows every threshold that saves at least ${percent(minimumSaving)} against the flagship alone ` +
          `misses ${describeObjective(objective)}${breakEvenClause(options.records, summaries)}.`,
        ...(tightest
          ? [
              `The tightest loss a cascade that pays could be certified at here is ${lossPoints(tightest.loss)} (${describeRung(tightest.cascade)}).`,
            ]
          : []),
      ],
    };
  }

  const needed = rowsNeeded(options, summaries, promising);
  const certifiedButMarginal = last >= 1 && pays(last);
  return {
    ...base,
    verdict: 'not-enough-rows',
    route: { kind: 'flagship-only' },
    ...(needed ? { rowsNeeded: needed } : {}),
    explanation: [
      certifiedButMarginal
        ? `Not enough labelled rows to tell: a cascade meets ${describeObjective(objective)} here, but its saving (${percent(summaries[last]!.savingShare)}) is not above 0 with ${percent(certification.confidence)} confidence on ${ladder.rows} rows.`
        : `Not enough labelled rows to tell: on these ${ladder.rows} rows some cascades that cost less than the flagship meet ${describeObjective(objective)}, but none can be certified at ${percent(certification.confidence)} confidence.`,
      ...(tightest
        ? [
            `The tightest loss a cascade that pays can be certified at on these rows: ${lossPoints(tightest.loss)} (${describeRung(tightest.cascade)}).`,
          ]
        : []),
      ...(needed
        ? [
            `About ${needed.rows} labelled rows like these would certify an exact guarantee for a cascade that ${describeRung(needed.cascade)} (${needed.rows - ladder.rows} more).`,
          ]
        : []),
      'Until then the route calls the flagship alone.',
    ],
  };
}

function decideForCost(options: DecideCascadeOptions): CascadeDecision {
  const { ladder, objective, certification } = options;
  if (objective.kind !== 'max-cost-per-1k') throw new RangeError('decideForCost: needs a cost objective');
  const summaries = ladder.steps.map((_, rung) => summarise(options, rung));
  const base = { method: certification.method, confidence: certification.confidence };
  const bottom = ladder.steps.length - 1;
  // Cost falls rung by rung: test from the cheapest rung up, stopping at the first that fails.
  let first = bottom + 1;
  while (first - 1 >= 0 && certification.excess[first - 1]! <= 0) first -= 1;
  if (first > bottom) {
    const anyMeets = summaries.some((summary) => summary.costPer1kUsd <= objective.usd);
    return {
      ...base,
      verdict: anyMeets ? 'not-enough-rows' : 'unreachable',
      route: anyMeets ? { kind: 'flagship-only' } : { kind: 'unchanged' },
      explanation: anyMeets
        ? [
            `Not enough labelled rows to tell: some thresholds cost at most $${objective.usd} per 1k requests on these ${ladder.rows} rows, but none with ${percent(certification.confidence)} confidence (bootstrap).`,
            'Until then the route calls the flagship alone.',
          ]
        : [
            `Unreachable: even the cheapest cascade costs $${summaries[bottom]!.costPer1kUsd.toFixed(4)} per 1k requests on these rows, above $${objective.usd}. The routes file is left as it was.`,
          ],
    };
  }
  let chosen = summaries[first]!;
  for (const summary of summaries.slice(first + 1)) if (summary.accuracy > chosen.accuracy) chosen = summary;
  const flagshipFits = (ladder.flagshipCostUsd / Math.max(1, ladder.rows)) * 1000 <= objective.usd;
  const minimumSaving = options.minimumSaving ?? defaultMinimumSaving;
  if (
    chosen.rung === 0 ||
    !(chosen.savingShare > 0) ||
    chosen.savingShare < minimumSaving ||
    !(chosen.savingShareLowerBound > 0)
  ) {
    return {
      ...base,
      verdict: 'does-not-pay',
      route: { kind: 'flagship-only' },
      explanation: [
        `Does not pay: call the flagship directly. ${flagshipFits ? `It fits $${objective.usd} per 1k requests, and no cascade under the cap is more accurate on these rows.` : 'No cascade under the cap costs less than it.'}`,
      ],
    };
  }
  return {
    ...base,
    verdict: chosen.rung === bottom ? 'cheap-alone' : 'pays',
    route: { kind: 'cascade', threshold: chosen.threshold },
    chosen,
    explanation: [
      `${chosen.rung === bottom ? 'The cheap model alone meets the target' : 'Pays'}: at most $${objective.usd} per 1k requests with ${percent(certification.confidence)} confidence (bootstrap), ` +
        `the most accurate such cascade on these rows: ${percent(chosen.accuracy)} right, ${percent(chosen.escalationRate)} escalated.`,
      `Saving against the flagship alone: ${percent(chosen.savingShare)} on these rows, at least ${percent(chosen.savingShareLowerBound)} with ${percent(certification.confidence)} confidence.`,
    ],
  };
}

/** Figures of a rung with its saving and the saving's lower bound (normal approximation of a mean over rows). */
function summarise(options: DecideCascadeOptions, rung: number): RungSummary {
  const { records, ladder, certification } = options;
  const figures = rungFigures(ladder, rung);
  const flagshipMean = ladder.flagshipCostUsd / Math.max(1, ladder.rows);
  const savings = records.map((record, position) => {
    const accepted = ladder.rungOf[position] !== undefined && ladder.rungOf[position]! <= rung;
    return record.flagshipCostUsd - record.cheapCostUsd - record.gateCostUsd - (accepted ? 0 : record.flagshipCostUsd);
  });
  const meanSaving = savings.length > 0 ? mean(savings) : 0;
  const standardError = savings.length > 1 ? sampleStandardDeviation(savings) / Math.sqrt(savings.length) : 0;
  const lower = meanSaving - normalQuantile(certification.confidence, 0, 1) * standardError;
  return {
    rung,
    threshold: ladder.steps[rung]!.threshold,
    ...figures,
    savingShare: flagshipMean > 0 ? meanSaving / flagshipMean : 0,
    savingShareLowerBound: flagshipMean > 0 ? lower / flagshipMean : 0,
  };
}

/**
 * For a cascade that pays under a loss target: what half the target would give, on these rows (by the same
 * certification) or, when these rows cannot certify it, with how many rows an exact certificate would.
 */
function tighterTargetLines(context: {
  options: DecideCascadeOptions;
  summaries: readonly RungSummary[];
  /** The rungs that save enough to pay. */
  paying: readonly RungSummary[];
  rows: number;
}): string[] {
  const { options, summaries, paying } = context;
  const { objective, certification } = options;
  if (objective.kind !== 'max-accuracy-loss' || objective.points <= 0.1) return [];
  const tighter = { kind: 'max-accuracy-loss' as const, points: objective.points / 2 };
  const last = lastCertifiedRung(retargetLossCertification(certification, tighter.points).excess);
  const certifiedNow = paying.filter((summary) => summary.rung <= last).pop();
  if (certifiedNow)
    return [
      `A target of ${describePoints(tighter.points)} is certified on these rows too: a cascade that ${describeRung(certifiedNow)}.`,
    ];
  const needed = rowsNeeded(
    { ...options, objective: tighter },
    summaries,
    paying.filter((summary) => summary.accuracyLoss <= tighter.points / 100),
  );
  return needed
    ? [
        `A target of ${describePoints(tighter.points)} would take about ${needed.rows} rows like these for an exact certificate (${Math.max(0, needed.rows - context.rows)} more).`,
      ]
    : [];
}

function describePoints(points: number): string {
  return `${points} ${points === 1 ? 'point' : 'points'}`;
}

/**
 * The fewest rows like these at which an exact (Clopper–Pearson, fixed-sequence) certificate would reach one
 * of `candidates`, assuming the observed rates hold: every rung from the first up to the candidate must
 * certify, so a candidate takes the most rows any of them takes.
 */
function rowsNeeded(
  options: DecideCascadeOptions,
  summaries: readonly RungSummary[],
  candidates: readonly RungSummary[],
): { rows: number; cascade: RungSummary } | undefined {
  const { ladder, objective, certification } = options;
  const alpha = 1 - certification.confidence;
  const flagshipAccuracy = ladder.flagshipCorrect / Math.max(1, ladder.rows);
  // Rungs with the same count need the same rows: each count is solved once.
  const solved = new Map<number, number | undefined>();
  const solve = (events: number, bound: number, boundAlpha: number): number | undefined => {
    if (!solved.has(events))
      solved.set(events, rowsToCertify({ observedRate: events / ladder.rows, bound, alpha: boundAlpha }));
    return solved.get(events);
  };
  const rowsFor = (rung: number): number | undefined => {
    const step = ladder.steps[rung]!;
    switch (objective.kind) {
      case 'max-accuracy-loss':
        return rung === 0 ? 0 : solve(step.harmed, objective.points / 100, alpha);
      case 'target-quality-retention':
        return rung === 0 ? 0 : solve(step.harmed, (1 - objective.retention) * flagshipAccuracy, alpha / 2);
      case 'target-accuracy':
        return solve(step.errors, 1 - objective.accuracy, alpha);
      case 'max-cost-per-1k':
        return undefined;
    }
  };
  let best: { rows: number; cascade: RungSummary } | undefined;
  let most = 0;
  for (let rung = 0; rung < summaries.length; rung += 1) {
    const rows = rowsFor(rung);
    if (rows === undefined) break;
    most = Math.max(most, rows);
    if (candidates.some((candidate) => candidate.rung === rung) && (best === undefined || most < best.rows))
      best = { rows: most, cascade: summaries[rung]! };
  }
  return best;
}

function guarantee(
  context: { objective: TuningObjective; confidence: number; method: string },
  certifiedLoss: number,
): string {
  const kind = context.method === 'exact' ? 'exact, distribution-free' : context.method;
  if (context.objective.kind === 'target-accuracy')
    return `accuracy ≥ ${percent(context.objective.accuracy)} with ${percent(context.confidence)} confidence (${kind})`;
  if (context.objective.kind === 'target-quality-retention') {
    return `with ${percent(context.confidence)} confidence the cascade keeps at least ${percent(context.objective.retention)} of the flagship's accuracy on traffic like these rows (${kind}; a loss of at most ${lossPoints(certifiedLoss)})`;
  }
  return `with ${percent(context.confidence)} confidence the cascade loses at most ${lossPoints(certifiedLoss)} against the flagship on traffic like these rows (${kind})`;
}

function breakEvenClause(records: readonly EvaluationRecord[], summaries: readonly RungSummary[]): string {
  const rate = breakEven(records).escalationRate ?? 0;
  const bottom = summaries[summaries.length - 1]!;
  return ` (it pays only below ${percent(Math.max(0, rate))} escalated; the cheapest cascade loses ${lossPoints(bottom.accuracyLoss)})`;
}

function describeRung(summary: RungSummary): string {
  return `escalates ${percent(summary.escalationRate)} and saves ${percent(summary.savingShare)}`;
}
