import { gateLeaves } from './gate-leaves';
import type { GateSpec } from './gate-spec';
import type { TokenLogprob } from './tokens';

export type JudgeGateSpec = Extract<GateSpec, { kind: 'judge' }>;

/**
 * What a gate tree needs besides the cheap answer's text: extra samples of the cheap model (for
 * self-consistency) and judge calls. The workflow gathers them before it evaluates the gate.
 */
export interface GateSignalNeeds {
  /** Extra calls of the cheap model: the largest `samples - 1` of the tree's self-consistency gates. */
  extraSamples: number;
  /** Temperature of the extra calls: that of the self-consistency gate asking for the most samples. */
  sampleTemperature: number;
  /** The tree's judge gates, depth first; their judgements are handed back in the same order. */
  judges: JudgeGateSpec[];
}

/** A judge's answer about one cheap answer. */
export interface Judgement {
  /** From 0 (bad) to 1 (good). */
  score: number;
  /** The judge's one-line reason. */
  reason: string;
}

/** Everything a gate may read about the cheap answer. Plain JSON. */
export interface GateInput {
  text: string;
  /** Token log-probabilities of the answer, when the provider returned them. */
  logprobs?: TokenLogprob[];
  /** The texts of the extra samples, in order (self-consistency). */
  samples?: string[];
  /** One judgement per judge gate, depth first (see `gateSignalNeeds`). */
  judgements?: Judgement[];
}

export const defaultSampleTemperature = 0.7;

/** Walks a gate tree for the signals it needs. Pure, so the workflow can call it. */
export function gateSignalNeeds(gate: GateSpec): GateSignalNeeds {
  const needs: GateSignalNeeds = { extraSamples: 0, sampleTemperature: defaultSampleTemperature, judges: [] };
  for (const { gate: leaf } of gateLeaves(gate)) {
    if (leaf.kind === 'self-consistency' && leaf.samples - 1 > needs.extraSamples) {
      needs.extraSamples = leaf.samples - 1;
      needs.sampleTemperature = leaf.temperature ?? defaultSampleTemperature;
    }
    if (leaf.kind === 'judge') needs.judges.push(leaf);
  }
  return needs;
}

/** The fewest alternatives per token (`topLogprobs`) a `margin` confidence gate reads: the answer token's and its runner-up's. */
export const marginTopLogprobs = 2;

/**
 * Where a gate tree holds confidence gates that read each token's alternatives (aggregation `margin`):
 * their field paths below the gate (`''` for the gate itself, `.gates.1`, `.gates.0.gate`), depth
 * first. Each needs the cheap model to ask for `logprobs: true` with `topLogprobs` of at least
 * `marginTopLogprobs`; without them it only ever sees no signal.
 */
export function gatesReadingAlternatives(gate: GateSpec): string[] {
  return gateLeaves(gate)
    .filter(({ gate: leaf }) => leaf.kind === 'confidence' && leaf.aggregation === 'margin')
    .map(({ path }) => path);
}
