import type { GateSpec } from '../../contracts/cascade/gate-spec';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import type { RecordedRow } from '../../evaluation/datasets/recorded-row';
import { findThresholdedGate, type ThresholdedGate } from '../../evaluation/runs/thresholded-gate';
import { sharesIdOrPromptWith } from './replayed-rows';
import type { RouteTuning } from './tuning-record';

/** Where a tuned gate's setting came from. Plain JSON. */
export interface GateTuningSource {
  /** The tuning set, relative to the project. */
  dataset: string;
  rows: number;
  /** Rows the demo replayed on this route that are also in the tuning set, by id or by prompt (0 when they are apart). */
  rowsAlsoReplayed: number;
  maxAccuracyLossPoints: number;
  confidence: number;
  verdict: string;
}

/**
 * What a route's gates can see, in words:
 * - `form-checks`: deterministic gates only; a well-formed wrong answer passes;
 * - `tuned`: a thresholded gate whose setting a tuning record accounts for;
 * - `thresholded`: a thresholded gate that no tuning record accounts for;
 * - `flagship-only`: no cheap answer to gate.
 * Plain JSON.
 */
export type GateDescription =
  | { kind: 'form-checks'; gates: string[]; text: string }
  | { kind: 'tuned'; tuning: GateTuningSource; text: string }
  | { kind: 'thresholded'; text: string }
  | { kind: 'flagship-only'; text: string };

/**
 * Describes a route's gates for the demo's accuracy report. `tuning` is the route's tuning record, if any; it
 * counts only while the gate still holds the `signalThreshold` it records. `replayedRows` are the rows the demo
 * replayed on the route, checked against the tuning set so "other rows" is said only when it is true.
 */
export function describeGates(options: {
  policy: RoutePolicy;
  tuning?: RouteTuning;
  replayedRows: readonly RecordedRow[];
}): GateDescription {
  const { policy, tuning } = options;
  if (policy.mode === 'flagship-only')
    return { kind: 'flagship-only', text: 'flagship alone (mode: flagship-only): no cheap answer to gate' };
  let thresholded: ThresholdedGate;
  try {
    thresholded = findThresholdedGate(policy.gate);
  } catch {
    return {
      kind: 'thresholded',
      text: 'gates with thresholds, composed in a way the demo does not read; what they keep of the flagship accuracy was not measured',
    };
  }
  if (thresholded.kind === 'none') {
    const gates = leafKinds(policy.gate);
    return {
      kind: 'form-checks',
      gates,
      text: `form checks only (${gates.join(', ')}): a well-formed wrong answer passes, so the cascade stays near the cheap model's accuracy`,
    };
  }
  const gateKind = thresholded.kind === 'whole' ? policy.gate.kind : childKind(policy.gate, thresholded.index);
  const setting =
    thresholded.signalThreshold !== undefined
      ? `signal ≥ ${thresholded.signalThreshold}`
      : `score ≥ ${thresholded.threshold}`;
  if (
    !tuning ||
    tuning.record.route !== policy.route ||
    tuning.record.signalThreshold !== thresholded.signalThreshold
  ) {
    return {
      kind: 'thresholded',
      text: `${gateKind} gate at ${setting}, which no tuning record accounts for: what it keeps of the flagship accuracy was not measured`,
    };
  }
  const source: GateTuningSource = {
    dataset: tuning.datasetPath,
    rows: tuning.rows.length,
    rowsAlsoReplayed: rowsInCommon(options.replayedRows, tuning.rows),
    maxAccuracyLossPoints: tuning.record.maxAccuracyLossPoints,
    confidence: tuning.record.confidence,
    verdict: tuning.record.verdict,
  };
  const rows =
    source.rowsAlsoReplayed === 0
      ? `${source.rows} other rows (${source.dataset})`
      : `${source.rows} rows (${source.dataset}), ${source.rowsAlsoReplayed} of them replayed here too,`;
  return {
    kind: 'tuned',
    tuning: source,
    text:
      `${gateKind} gate tuned on ${rows} to lose at most ${source.maxAccuracyLossPoints} points against the flagship ` +
      `with ${Math.round(source.confidence * 100)}% confidence (the tuner's verdict: ${source.verdict})`,
  };
}

/** The kinds of a gate's leaves, each once, in order. */
function leafKinds(gate: GateSpec): string[] {
  const leaves = (spec: GateSpec): string[] => {
    if (spec.kind === 'all' || spec.kind === 'any') return spec.gates.flatMap(leaves);
    if (spec.kind === 'weighted') return spec.gates.flatMap((weighted) => leaves(weighted.gate));
    return [spec.kind];
  };
  return [...new Set(leaves(gate))];
}

function childKind(gate: GateSpec, index: number): string {
  return gate.kind === 'all' ? (gate.gates[index]?.kind ?? gate.kind) : gate.kind;
}

/** Distinct rows of `replayed` that `tuning` also holds, by id or by prompt. */
function rowsInCommon(replayed: readonly RecordedRow[], tuning: readonly RecordedRow[]): number {
  const distinct = new Map(replayed.map((row) => [row.id, row]));
  return [...distinct.values()].filter(sharesIdOrPromptWith(tuning)).length;
}
