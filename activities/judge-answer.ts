import type { ChatMessage } from '../contracts/cascade/chat-message';
import type { Judgement } from '../contracts/cascade/gate-signals';
import type { ModelAnswer } from '../contracts/cascade/model-answer';
import type { ModelSpec } from '../contracts/cascade/route-policy';
import { toApplicationFailure } from '../contracts/to-application-failure';
import { buildJudgeMessages, parseJudgement } from '../gates/judge-prompt';
import { callModelOnce, type CallModelDependencies } from './call-model';

export interface JudgeAnswerInput {
  route: string;
  requestId: string;
  /** The judge model. */
  model: ModelSpec;
  /** What the judge checks. */
  rubric: string;
  /** The original chat. */
  messages: ChatMessage[];
  /** The cheap answer to judge. */
  answer: string;
  timeoutMs: number;
  retryAfterCapMs: number;
  /** The request's `datasetRowId`, passed on to the judge's call; absent when the request has none. */
  datasetRowId?: string;
}

export interface JudgeAnswerOutput {
  judgement: Judgement;
  /** The judge call itself, for cost attribution (its own `judge` line). */
  call: ModelAnswer;
}

/**
 * Builds the `judgeAnswer` activity: asks the judge model to score the cheap answer against the
 * rubric. Provider failures retry like any model call; an answer that holds no score fails with
 * `InvalidJudgeOutput`, not retried (the same judge asked again rarely does better), and the cascade
 * then treats the answer as unjudged.
 */
export function createJudgeAnswer(dependencies: CallModelDependencies) {
  return async function judgeAnswer(input: JudgeAnswerInput): Promise<JudgeAnswerOutput> {
    const call = await callModelOnce(dependencies, {
      tier: 'judge',
      route: input.route,
      requestId: input.requestId,
      model: input.model,
      messages: buildJudgeMessages({ rubric: input.rubric, messages: input.messages, answer: input.answer }),
      timeoutMs: input.timeoutMs,
      retryAfterCapMs: input.retryAfterCapMs,
      ...(input.datasetRowId === undefined ? {} : { datasetRowId: input.datasetRowId }),
    });
    try {
      return { judgement: parseJudgement(call.text), call };
    } catch (error) {
      throw toApplicationFailure(error, { addDetails: { cost: call.cost, model: call.model } });
    }
  };
}
