import type { GateSpec } from '../contracts/cascade/gate-spec';
import { escalationReasons, type GateVerdict } from '../contracts/cascade/gate-verdict';
import { evaluateMarkerGate } from './marker-gate';

export type RefusalGateSpec = Extract<GateSpec, { kind: 'refusal' }>;

/**
 * Phrases with which models decline a request. Bare "I can't help" is left out on purpose: it also
 * opens the idiom "I can't help but notice", so the list names what follows it.
 */
export const defaultRefusalMarkers: readonly string[] = [
  "I can't help with",
  "I can't help you",
  'I cannot help with',
  'I cannot help you',
  "I can't assist",
  'I cannot assist',
  "I can't provide",
  'I cannot provide',
  "I can't comply",
  'I cannot comply',
  "I won't be able to",
  'I will not be able to',
  "I'm unable to",
  'I am unable to',
  "I'm not able to",
  'I am not able to',
  "I'm sorry, but",
  'I am sorry, but',
  'I must decline',
  'I have to decline',
  'as an AI',
  'as a language model',
];

/**
 * Rejects an answer that contains a refusal marker (case-insensitive, whole words; see `findFirstMarker`).
 * Reason `refusal`; `detail` quotes the marker found first in the answer.
 */
export function evaluateRefusalGate(spec: RefusalGateSpec, answer: { text: string }): GateVerdict {
  return evaluateMarkerGate({
    gate: spec.kind,
    text: answer.text,
    markers: spec.markers ?? defaultRefusalMarkers,
    reason: escalationReasons.refusal,
    label: 'refusal',
  });
}
