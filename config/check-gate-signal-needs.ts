import { gatesReadingAlternatives, marginTopLogprobs } from '../contracts/cascade/gate-signals';
import type { RoutePolicy } from '../contracts/cascade/route-policy';

/**
 * Finds a gate that reads a signal the route's cheap model is not configured to return: a `margin`
 * confidence gate needs the cheap model's `logprobs: true` and `topLogprobs` of at least 2, else every
 * answer would escalate with `no_signal`. The problem names the gate (its path below the route, as
 * `gate.gates.1.aggregation: …`) and the model field to set (`models.<name>.…` for a named model,
 * `routes.<route>.cheap.model.…` for one written out); `undefined` when there is none.
 */
export function gateSignalNeedsProblem(options: {
  policy: RoutePolicy;
  cheapModelName: string | undefined;
}): string | undefined {
  const { policy } = options;
  const marginGates = gatesReadingAlternatives(policy.gate);
  if (marginGates.length === 0) return undefined;
  const model = policy.cheap.model;
  if (model.logprobs === true && (model.topLogprobs ?? 0) >= marginTopLogprobs) return undefined;
  const modelField =
    options.cheapModelName === undefined ? `routes.${policy.route}.cheap.model` : `models.${options.cheapModelName}`;
  const found =
    model.logprobs === true
      ? `${modelField}.topLogprobs is ${model.topLogprobs ?? 'unset'}`
      : `${modelField}.logprobs is ${model.logprobs === false ? 'false' : 'unset'}`;
  return `gate${marginGates[0]}.aggregation: a margin confidence gate reads the alternatives of the answer token, so the route's cheap model needs logprobs: true and topLogprobs of at least ${marginTopLogprobs} (${found})`;
}
