import type { GateSpec } from '../contracts/cascade/gate-spec';
import { evaluateGate } from './evaluate-gate';
import { GateConfigurationError } from './gate-configuration-error';

const refusal: GateSpec = { kind: 'refusal' };
const uncertainty: GateSpec = { kind: 'uncertainty' };
const longEnough: GateSpec = { kind: 'minimum-content', minCharacters: 40 };
const json: GateSpec = { kind: 'json-schema', schema: { type: 'object', required: ['answer'] } };

describe('all gate', () => {
  it('passes when every child passes, keeping the children and the parsed JSON', () => {
    const evaluation = evaluateGate({ kind: 'all', gates: [refusal, json] }, { text: '{"answer": "Oslo"}' });
    expect(evaluation.verdict).toMatchObject({
      gate: 'all',
      passed: true,
      score: 1,
      reasons: [],
      detail: '2 of 2 gates passed',
    });
    expect(evaluation.verdict.children?.map((child) => [child.gate, child.passed])).toEqual([
      ['refusal', true],
      ['json-schema', true],
    ]);
    expect(evaluation.json).toEqual({ answer: 'Oslo' });
  });

  it('fails when one child fails; score is the lowest child score, reasons those of the failing children in order', () => {
    const text = "I'm sorry, but I don't know.";
    const { verdict } = evaluateGate({ kind: 'all', gates: [longEnough, uncertainty, refusal] }, { text });
    expect(verdict.passed).toBe(false);
    expect(verdict.score).toBe(0);
    expect(verdict.reasons).toEqual(['too_short', 'uncertain', 'refusal']);
    expect(verdict.children).toHaveLength(3);
    expect(verdict.detail).toBe(
      '0 of 3 gates passed; failed: minimum-content (answer has 28 characters and 6 words; at least 40 characters and 0 words required); ' +
        `uncertainty (uncertainty marker "I don't know" found at character 15); refusal (refusal marker "I'm sorry, but" found at character 0)`,
    );
  });

  it('scores by the lowest child score', () => {
    const { verdict } = evaluateGate({ kind: 'all', gates: [refusal, longEnough] }, { text: 'Twenty characters ok' });
    expect(verdict.passed).toBe(false);
    expect(verdict.score).toBe(20 / 40);
    expect(verdict.reasons).toEqual(['too_short']);
  });

  it('lists a reason once when several children give it', () => {
    const { verdict } = evaluateGate(
      { kind: 'all', gates: [refusal, { kind: 'refusal', markers: ['nope'] }] },
      { text: 'As an AI: nope.' },
    );
    expect(verdict.reasons).toEqual(['refusal']);
  });
});

describe('any gate', () => {
  it('passes when one child passes, with the highest child score and no reasons', () => {
    const { verdict } = evaluateGate(
      { kind: 'any', gates: [json, longEnough, refusal] },
      { text: 'Oslo is the capital.' },
    );
    expect(verdict).toMatchObject({
      gate: 'any',
      passed: true,
      score: 1,
      reasons: [],
      detail: '1 of 3 gates passed; passed by refusal',
    });
    expect(verdict.children?.map((child) => child.passed)).toEqual([false, false, true]);
  });

  it('fails when no child passes, with the highest child score and every reason in order', () => {
    const { verdict } = evaluateGate({ kind: 'any', gates: [json, longEnough] }, { text: 'Oslo is the capital.' });
    expect(verdict.passed).toBe(false);
    expect(verdict.score).toBe(20 / 40);
    expect(verdict.reasons).toEqual(['json_invalid', 'too_short']);
    expect(verdict.detail).toMatch(
      /^0 of 2 gates passed; failed: json-schema \(no valid JSON: .*\); minimum-content \(/,
    );
  });

  it('returns no JSON when the JSON gate was not the one that accepted', () => {
    const evaluation = evaluateGate({ kind: 'any', gates: [json, refusal] }, { text: '{"other": 1}' });
    expect(evaluation.verdict.passed).toBe(true);
    expect('json' in evaluation).toBe(false);
  });
});

describe('nested composites', () => {
  it('combine as their kinds say and keep the tree of verdicts', () => {
    const gate: GateSpec = {
      kind: 'all',
      gates: [refusal, { kind: 'any', gates: [json, { kind: 'required-pattern', pattern: 'Oslo' }] }],
    };
    const evaluation = evaluateGate(gate, { text: 'Oslo.' });
    expect(evaluation.verdict.passed).toBe(true);
    expect(evaluation.verdict.children?.[1]?.children?.map((child) => child.gate)).toEqual([
      'json-schema',
      'required-pattern',
    ]);
  });

  it('reject an empty composite as a configuration error', () => {
    expect(() => evaluateGate({ kind: 'any', gates: [] }, { text: 'x' })).toThrow(
      new GateConfigurationError({ message: 'any gate needs at least one child gate' }),
    );
  });
});
