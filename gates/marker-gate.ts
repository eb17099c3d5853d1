import type { GateVerdict } from '../contracts/cascade/gate-verdict';
import { failedVerdict, passedVerdict } from './leaf-verdict';
import { findFirstMarker } from './marker-search';

/**
 * A gate that rejects an answer containing one of its marker phrases (refusal, uncertainty, ...).
 * `label` names the kind of marker in the detail line, e.g. `refusal marker "I'm sorry, but" found at character 0`.
 */
export function evaluateMarkerGate(options: {
  gate: string;
  text: string;
  markers: readonly string[];
  reason: string;
  label: string;
}): GateVerdict {
  const found = findFirstMarker(options.text, options.markers);
  if (!found)
    return passedVerdict(options.gate, `no ${options.label} marker found (${options.markers.length} checked)`);
  return failedVerdict({
    gate: options.gate,
    reason: options.reason,
    detail: `${options.label} marker "${found.marker}" found at character ${found.index}`,
  });
}
