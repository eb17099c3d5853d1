import { GateConfigurationError } from './gate-configuration-error';
import { evaluateJudgeGate, type JudgeGateSpec } from './judge';

const judge: JudgeGateSpec = {
  kind: 'judge',
  model: 'judge-model',
  rubric: 'The answer names the capital correctly.',
  threshold: 0.7,
};

describe('judge gate', () => {
  it("passes when the judge's score reaches the threshold, at the threshold included", () => {
    expect(evaluateJudgeGate(judge, { score: 0.9, reason: 'Correct and concise.' })).toEqual({
      gate: 'judge',
      passed: true,
      score: 0.9,
      reasons: [],
      threshold: 0.7,
      detail: 'judge judge-model scored 0.9, threshold 0.7: "Correct and concise."',
    });
    expect(evaluateJudgeGate(judge, { score: 0.7, reason: 'ok' })).toMatchObject({ passed: true, score: 0.7 });
  });

  it('rejects below the threshold with reason judge_rejected, quoting the judge on one line', () => {
    expect(evaluateJudgeGate(judge, { score: 0.3, reason: 'Names Lyon,\nnot Paris.' })).toEqual({
      gate: 'judge',
      passed: false,
      score: 0.3,
      reasons: ['judge_rejected'],
      threshold: 0.7,
      detail: 'judge judge-model scored 0.3, threshold 0.7: "Names Lyon, not Paris."',
    });
  });

  it('names an inline judge model by its model id, and says when the judge gave no reason', () => {
    const inline: JudgeGateSpec = { ...judge, model: { provider: 'openai', model: 'gpt-4o-mini' } };
    expect(evaluateJudgeGate(inline, { score: 2 / 3, reason: ' ' }).detail).toBe(
      'judge gpt-4o-mini scored 0.67, threshold 0.7: no reason given',
    );
  });

  it('throws a GateConfigurationError for a score that is not from 0 to 1', () => {
    for (const score of [1.5, -0.1, Number.NaN]) {
      expect(() => evaluateJudgeGate(judge, { score, reason: 'x' })).toThrow(GateConfigurationError);
    }
    expect(() => evaluateJudgeGate(judge, { score: 7, reason: 'x' })).toThrow(
      "judge gate: the judgement's score 7 is not a number from 0 to 1",
    );
  });
});
