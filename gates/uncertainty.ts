import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { evaluateMarkerGate } from './marker-gate';

export type UncertaintyGateSpec = Extract<GateSpec, { kind: 'uncertainty' }>;

/**
 * Phrases in which a model says it does not know. Mostly first-person hedges: bare hedging words such as
 * "possibly" or "might be" are left out, because confident answers use them too ("this might be
 * faster when..."); a route that wants them lists them in `markers`.
 */
export const defaultUncertaintyMarkers: readonly string[] = [
  "I'm not sure",
  'I am not sure',
  "I'm not certain",
  'I am not certain',
  "I'm unsure",
  'I am unsure',
  "I don't know",
  'I do not know',
  "I can't be certain",
  'I cannot be certain',
  "I can't be sure",
  'I cannot be sure',
  "I'm not confident",
  'I am not confident',
  "I don't have enough information",
  'I do not have enough information',
  'I could be wrong',
  'I may be wrong',
  'I might be wrong',
  'my best guess',
  'it is unclear',
  "it's unclear",
  'hard to say',
  'difficult to say',
];

/**
 * Rejects an answer that contains an uncertainty marker (case-insensitive, whole words; see
 * `findFirstMarker`). Reason `uncertain`; `detail` quotes the marker found first in the answer.
 */
export function evaluateUncertaintyGate(spec: UncertaintyGateSpec, answer: { text: string }): GateVerdict {
  return evaluateMarkerGate({
    gate: spec.kind,
    text: answer.text,
    markers: spec.markers ?? defaultUncertaintyMarkers,
    reason: escalationReasons.uncertain,
    label: 'uncertainty',
  });
}
