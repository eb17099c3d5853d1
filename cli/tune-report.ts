import { renderConsoleTable } from '../operations/reporting/console-table';
import type { RouteTuning } from '../evaluation/tuning';
import type { TunedCurve } from '../evaluation/tuning/tuned-curve';
import { describeVerdictCounts, percent, signedPoints } from '../evaluation/tuning/format-figures';
import { describeObjectiveAt } from '../evaluation/tuning/tuning-objective';

const verdictWords: Record<RouteTuning['decision']['verdict'], string> = {
  pays: 'PAYS',
  'cheap-alone': 'THE CHEAP MODEL ALONE MEETS THE TARGET',
  'does-not-pay': 'DOES NOT PAY: call the flagship directly',
  'not-enough-rows': 'NOT ENOUGH LABELLED ROWS TO TELL',
  unreachable: 'UNREACHABLE',
};

const methodWords: Record<string, string> = {
  exact: 'exact: Clopper–Pearson bounds, fixed-sequence testing; assumes nothing about the signal',
  'model-based':
    'model-based: a logistic model of the outcome against the signal, refitted on bootstrap resamples; holds as far as the model does',
  bootstrap: 'bootstrap: percentile bounds over resamples of the rows; approximate',
};

/** `cascade tune`'s report for a person: the verdict first, then what it rests on and what to expect. */
export function renderTuningText(options: {
  route: string;
  cheap: string;
  flagship: string;
  tuning: RouteTuning;
  rowsLine: string;
  pricesLine: string;
}): string {
  const { tuning } = options;
  const { decision, onTheseRows, crossValidated } = tuning;
  const pooled = crossValidated.pooled;
  const foldVerdicts = describeVerdictCounts(crossValidated.verdicts);
  const chosen = decision.chosen;
  return [
    `Tuning ${options.route} · ${options.cheap} → ${options.flagship} · ${describeObjectiveAt(tuning.objective, { confidence: decision.confidence, method: decision.method })}`,
    options.rowsLine,
    options.pricesLine,
    '',
    `verdict        ${verdictWords[decision.verdict]}`,
    ...decision.explanation.map((line) => `  ${line}`),
    `how sure       ${methodWords[decision.method]}`,
    ...(chosen
      ? [
          `threshold      ${tuning.variable === 'signal' ? 'signal' : 'score'} ≥ ${formatThreshold(chosen.threshold)} (${percent(chosen.escalationRate)} of these rows escalate)`,
        ]
      : []),
    ...(tuning.calibration
      ? [`calibration    ${describeCalibration(tuning)} (gives the gate's score; the decision is on the signal)`]
      : []),
    ...(tuning.alternative ? [`${tuning.alternative.method.padEnd(15)}${tuning.alternative.explanation[0]}`] : []),
    '',
    `on these rows  cheap alone ${percent(onTheseRows.cheapOnly.accuracy)} · $${onTheseRows.cheapOnly.costPer1kUsd.toFixed(4)} per 1k; ` +
      `flagship alone ${percent(onTheseRows.flagshipOnly.accuracy)} · $${onTheseRows.flagshipOnly.costPer1kUsd.toFixed(4)} per 1k; ` +
      `the cascade pays only below ${onTheseRows.breakEvenEscalationRate === null ? '–' : percent(onTheseRows.breakEvenEscalationRate)} escalated`,
    `expected on new rows (cross-validated over ${crossValidated.folds.length} folds, each decided without the rows it is scored on):`,
    `  accuracy ${percent(pooled.accuracy)} (flagship alone ${percent(pooled.flagshipAccuracy)}, ${signedPoints(pooled.accuracyGapPoints)}) · ` +
      `$${pooled.costPer1kUsd.toFixed(4)} per 1k (${percent(pooled.costShare)} of the flagship alone) · ${percent(pooled.escalationRate)} escalated`,
    `  fold verdicts: ${foldVerdicts}`,
  ].join('\n');
}

/** The tuned procedure's curve as a table: one row per loss target, figures on held-out rows. */
export function renderCurveTable(curve: TunedCurve): string {
  const table = renderConsoleTable({
    header: [
      'target loss',
      'fold verdicts',
      'held-out accuracy',
      'gap vs flagship',
      'cost per 1k',
      'of flagship',
      'escalated',
    ],
    rows: curve.points.map((point) => [
      `${point.targetLossPoints} pt`,
      describeVerdictCounts(point.verdicts),
      percent(point.accuracy),
      signedPoints(point.accuracyGapPoints),
      `$${point.costPer1kUsd.toFixed(4)}`,
      percent(curve.flagshipOnly.costPer1kUsd > 0 ? point.costPer1kUsd / curve.flagshipOnly.costPer1kUsd : 0),
      percent(point.escalationRate),
    ]),
    rightAligned: [0, 2, 3, 4, 5, 6],
  });
  return [
    `Tuned curve (${curve.method}, ${percent(curve.confidence)} confidence, ${curve.folds}-fold cross-validated: each point tuned without the rows it is scored on)`,
    table,
    `area under the error-against-cost curve (normalised, lower is better): ${curve.area.toFixed(3)} · ` +
      `cheap alone ${percent(curve.cheapOnly.accuracy)} at $${curve.cheapOnly.costPer1kUsd.toFixed(4)} · flagship alone ${percent(curve.flagshipOnly.accuracy)} at $${curve.flagshipOnly.costPer1kUsd.toFixed(4)} · ` +
      `break-even escalation rate ${curve.breakEvenEscalationRate === null ? '–' : percent(curve.breakEvenEscalationRate)}`,
  ].join('\n');
}

function describeCalibration(tuning: RouteTuning): string {
  const calibration = tuning.calibration;
  if (calibration === undefined) return 'none';
  if (calibration.method === 'isotonic') return `isotonic, ${calibration.points.length} points`;
  return `platt, slope ${calibration.slope.toFixed(4)}, intercept ${calibration.intercept.toFixed(4)}`;
}

function formatThreshold(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}
