import { gatesReadingAlternatives, marginTopLogprobs } from '../contracts/cascade/gate-signals';
import type { ModelSpec, RoutePolicy } from '../contracts/cascade/route-policy';

/**
 * Finds a gate that reads a signal the route's cheap model is not configured to return: a `margin`
 * confidence gate needs the cheap model's `logprobs: true` and `topLogprobs` of at least 2, else every
 * answer would escalate with `no_signal`. The problem names the gate (its path below the route, as
 * `gate.gates.1.aggregation: …`) and the model field to set (`models.<name>.…` for a named model,
 * `routes.<route>.cheap.model.…` for one written out); `undefined` when there is none.
 */
export function gateSignalNeedsProblem(options: {
  policy: RoutePolicy;
  /** The cheap model checked: the tier's model or one of its fallbacks. */
  model: ModelSpec;
  /** Where that model is written, for the message (`models.<name>`, `routes.<route>.cheap.model`). */
  modelField: string;
}): string | undefined {
  const { policy, model, modelField } = options;
  const marginGates = gatesReadingAlternatives(policy.gate);
  if (marginGates.length === 0) return undefined;
  if (model.logprobs === true && (model.topLogprobs ?? 0) >= marginTopLogprobs) return undefined;
  const found =
    model.logprobs === true
      ? `${modelField}.topLogprobs is ${model.topLogprobs ?? 'unset'}`
      : `${modelField}.logprobs is ${model.logprobs === false ? 'false' : 'unset'}`;
  return `gate${marginGates[0]}.aggregation: a margin confidence gate reads the alternatives of the answer token, so the route's cheap model needs logprobs: true and topLogprobs of at least ${marginTopLogprobs} (${found})`;
}
