import type { PromptMessage } from '../../evaluation/datasets/prompt-key';
import { drawFraction } from './deterministic-draw';
import type {
  BehaviourSpec,
  EchoBehaviourSpec,
  FaultSpec,
  LatencySpec,
  ScriptedModelSpec,
  TextBehaviourSpec,
} from './scripted-model-spec';
import type { AnswerToken, ModelCall, ModelOutcome, ServedModel } from './served-model';
import { estimatePromptTokens, splitIntoTokens } from './word-tokens';

/** The logprob of every token a scripted answer returns, unless its behaviour sets one. */
export const defaultScriptedLogprob = -0.05;

const lastUserMessagePlaceholder = '{{lastUserMessage}}';

/** The answer token is the first holding a letter or a digit, as the confidence gate reads it (`gates/confidence.ts`). */
const meaningfulToken = /[\p{L}\p{N}]/u;

type AnswerBehaviourSpec = TextBehaviourSpec | EchoBehaviourSpec;

/**
 * A model that answers from a validated script (see `ScriptedModelSpec`): a rule or the default
 * picks the behaviour, a mix picks its branch from the prompt (and, at a temperature above 0, from
 * the call's number for that prompt), faults come first for each prompt.
 */
export function createScriptedModel(spec: ScriptedModelSpec): ServedModel {
  return {
    id: spec.id,
    answer(call) {
      const lastUserMessage = findLastUserMessage(call.messages);
      const rule = spec.rules?.find((candidate) => lastUserMessage.includes(candidate.whenContains));
      const behaviour = resolveMix({ behaviour: rule?.respond ?? spec.default, call });
      const fault = faultForCall({ faults: behaviour.faults ?? [], callNumber: call.callNumber });
      if (fault !== undefined) return faultOutcome({ fault, model: spec.id });

      const text =
        'echo' in behaviour ? lastUserMessage : behaviour.text.split(lastUserMessagePlaceholder).join(lastUserMessage);
      const logprob = behaviour.logprob ?? defaultScriptedLogprob;
      const tokens: AnswerToken[] = splitIntoTokens(text).map((token) => ({ token, logprob }));
      const answerToken = tokens.find((entry) => meaningfulToken.test(entry.token)) ?? tokens[0];
      if (answerToken !== undefined && behaviour.alternatives !== undefined && behaviour.alternatives.length > 0)
        answerToken.alternatives = behaviour.alternatives;
      return {
        kind: 'answer',
        text,
        tokens,
        hasLogprobs: true,
        promptTokens:
          behaviour.usage?.promptTokens ?? estimatePromptTokens(call.messages.map((message) => message.content)),
        completionTokens: behaviour.usage?.completionTokens ?? tokens.length,
        truncatable: true,
        latencyMs: drawLatency({ latency: behaviour.latencyMs ?? spec.latencyMs ?? 0, call }),
      };
    },
  };
}

/** The content of the last user message, or `''` when there is none. */
export function findLastUserMessage(messages: readonly PromptMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (messages[index]!.role === 'user') return messages[index]!.content;
  }
  return '';
}

function resolveMix(options: { behaviour: BehaviourSpec; call: ModelCall }): AnswerBehaviourSpec {
  const { call } = options;
  // Sampling (temperature above 0) draws anew on each call of the prompt, so k samples can disagree,
  // yet deterministically: the n-th call of a prompt gets the same branch in every run.
  const sample = call.temperature !== undefined && call.temperature > 0 ? `:sample:${call.callNumber}` : '';
  let behaviour = options.behaviour;
  // Each level of nesting draws with its own salt, so nested mixes stay independent.
  for (let depth = 0; 'mix' in behaviour; depth += 1) {
    const totalWeight = behaviour.mix.reduce((sum, branch) => sum + branch.weight, 0);
    const draw = drawFraction({ promptKey: call.promptKey, salt: `mix:${call.model}:${depth}${sample}` }) * totalWeight;
    let cumulativeWeight = 0;
    const chosen =
      behaviour.mix.find((branch) => {
        cumulativeWeight += branch.weight;
        return draw < cumulativeWeight;
      }) ?? behaviour.mix[behaviour.mix.length - 1]!;
    behaviour = chosen.behaviour;
  }
  return behaviour;
}

function faultForCall(options: { faults: readonly FaultSpec[]; callNumber: number }): FaultSpec | undefined {
  let lastFaultyCall = 0;
  for (const fault of options.faults) {
    lastFaultyCall += fault.times;
    if (options.callNumber <= lastFaultyCall) return fault;
  }
  return undefined;
}

function faultOutcome(options: { fault: FaultSpec; model: string }): ModelOutcome {
  const { fault } = options;
  if ('hang' in fault) return { kind: 'hang' };
  return {
    kind: 'error',
    status: fault.status,
    message: fault.message ?? `scripted fault: model ${options.model} answers ${fault.status}`,
    retryAfterSeconds: fault.retryAfterSeconds,
  };
}

function drawLatency(options: { latency: LatencySpec; call: ModelCall }): number {
  const { latency } = options;
  if (typeof latency === 'number') return latency;
  const fraction = drawFraction({ promptKey: options.call.promptKey, salt: `latency:${options.call.model}` });
  return Math.round(latency.min + fraction * (latency.max - latency.min));
}
