import type { GateSpec } from '../contracts/cascade/gate-spec';
import type { GateInput } from '../contracts/cascade/gate-signals';
import { combineGateEvaluations } from './composite';
import { evaluateConfidenceGate } from './confidence';
import { GateConfigurationError } from './gate-configuration-error';
import type { GateContext, GateEvaluation } from './gate-evaluation';
import { evaluateJsonSchemaGate } from './json-schema';
import { evaluateJudgeGate } from './judge';
import { evaluateMinimumContentGate } from './minimum-content';
import { evaluateRefusalGate } from './refusal';
import { evaluateRequiredPatternGate } from './required-pattern';
import { evaluateSelfConsistencyGate } from './self-consistency';
import { evaluateUncertaintyGate } from './uncertainty';
import { combineWeighted } from './weighted';

export type { GateAnswer, GateContext, GateEvaluation, GateInput } from './gate-evaluation';

/**
 * Judges an answer with a gate. Pure and deterministic: the same spec, input and context always give
 * the same evaluation, and the evaluation is plain JSON (it is recorded in the workflow history).
 * A composite (`all`, `any`, `weighted`) evaluates every child, so its verdict shows each child's.
 *
 * Gates that need more than the answer read signals the workflow gathered beforehand, as
 * `gateSignalNeeds(spec)` lists them: `confidence` reads `input.logprobs`, `self-consistency`
 * `input.samples`, and the n-th `judge` gate of the tree, depth first, reads `input.judgements[n]`.
 *
 * Throws `GateConfigurationError` when the gate cannot be evaluated as configured (an invalid JSON
 * Schema or regular expression, an unregistered `schemaName`, an empty composite, a weight that is not
 * positive, an unknown kind) or without the signals it needs (too few samples, a judge gate without
 * its judgement, judgements the tree has no judge gates for); a bad answer is never an error, it is a
 * failed verdict.
 */
export function evaluateGate(spec: GateSpec, input: GateInput, context: GateContext = {}): GateEvaluation {
  const walk: EvaluationWalk = { input, context, nextJudgement: 0 };
  const evaluation = evaluateInWalk(spec, walk);
  const given = input.judgements?.length ?? 0;
  if (given > walk.nextJudgement) {
    throw new GateConfigurationError({
      message: `${given} ${given === 1 ? 'judgement' : 'judgements'} given for a gate with ${walk.nextJudgement} judge ${walk.nextJudgement === 1 ? 'gate' : 'gates'}: judgements must follow gateSignalNeeds(gate).judges`,
    });
  }
  return evaluation;
}

/** What one evaluation carries down the gate tree. */
interface EvaluationWalk {
  input: GateInput;
  context: GateContext;
  /** The index in `input.judgements` of the next judge gate's judgement: judge gates take them in walk order. */
  nextJudgement: number;
}

function evaluateInWalk(spec: GateSpec, walk: EvaluationWalk): GateEvaluation {
  const { input, context } = walk;
  switch (spec.kind) {
    case 'json-schema':
      return evaluateJsonSchemaGate(spec, input, context);
    case 'refusal':
      return { verdict: evaluateRefusalGate(spec, input) };
    case 'uncertainty':
      return { verdict: evaluateUncertaintyGate(spec, input) };
    case 'minimum-content':
      return { verdict: evaluateMinimumContentGate(spec, input) };
    case 'required-pattern':
      return { verdict: evaluateRequiredPatternGate(spec, input) };
    case 'confidence':
      return { verdict: evaluateConfidenceGate(spec, input) };
    case 'self-consistency':
      return { verdict: evaluateSelfConsistencyGate(spec, input) };
    case 'judge': {
      const index = walk.nextJudgement;
      walk.nextJudgement += 1;
      const judgement = input.judgements?.[index];
      if (judgement === undefined) {
        const given = input.judgements?.length ?? 0;
        throw new GateConfigurationError({
          message: `judge gate #${index + 1} (depth first) has no judgement: the workflow gathers judgements before evaluating (${given} given)`,
        });
      }
      return { verdict: evaluateJudgeGate(spec, judgement) };
    }
    case 'all':
    case 'any': {
      if (!Array.isArray(spec.gates) || spec.gates.length === 0) {
        throw new GateConfigurationError({ message: `${spec.kind} gate needs at least one child gate` });
      }
      // Every child, in order, never short-circuited: judge gates below take judgements in walk order.
      const children = spec.gates.map((child) => evaluateInWalk(child, walk));
      return combineGateEvaluations({ kind: spec.kind, children });
    }
    case 'weighted': {
      if (!Array.isArray(spec.gates) || spec.gates.length === 0) {
        throw new GateConfigurationError({ message: 'weighted gate needs at least one child gate' });
      }
      spec.gates.forEach((entry, index) => {
        if (typeof entry.weight !== 'number' || !Number.isFinite(entry.weight) || entry.weight <= 0) {
          throw new GateConfigurationError({
            message: `weighted gate: the weight of child #${index + 1} must be a positive number, not ${String(entry.weight)}`,
          });
        }
      });
      const children = spec.gates.map((entry) => ({
        evaluation: evaluateInWalk(entry.gate, walk),
        weight: entry.weight,
      }));
      return combineWeighted({ children, threshold: spec.threshold });
    }
    default:
      throw new GateConfigurationError({
        message: `Unknown gate kind ${JSON.stringify((spec as { kind?: unknown }).kind)}`,
      });
  }
}
