import { evaluateGate } from './evaluate-gate';

describe('minimum-content gate', () => {
  it('by default passes any non-blank answer and fails a blank one', () => {
    expect(evaluateGate({ kind: 'minimum-content' }, { text: 'x' }).verdict).toEqual({
      gate: 'minimum-content',
      passed: true,
      score: 1,
      reasons: [],
      detail: 'answer has 1 character and 1 word (at least 1 character and 0 words required)',
    });
    expect(evaluateGate({ kind: 'minimum-content' }, { text: ' \n\t ' }).verdict).toEqual({
      gate: 'minimum-content',
      passed: false,
      score: 0,
      reasons: ['too_short'],
      detail: 'answer has 0 characters and 0 words; at least 1 character and 0 words required',
    });
  });

  it('scores a short answer by the share of the characters it has', () => {
    const { verdict } = evaluateGate({ kind: 'minimum-content', minCharacters: 20 }, { text: '  Oslo, Norway.  ' });
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons).toEqual(['too_short']);
    expect(verdict.score).toBe(13 / 20);
  });

  it('counts words, and scores by the lower share when both minimums are set', () => {
    const gate = { kind: 'minimum-content' as const, minCharacters: 10, minWords: 4 };
    const { verdict } = evaluateGate(gate, { text: 'Extraordinarily long' });
    expect(verdict.passed).toBe(false);
    expect(verdict.score).toBe(2 / 4);
    expect(verdict.detail).toBe('answer has 20 characters and 2 words; at least 10 characters and 4 words required');
    expect(evaluateGate(gate, { text: 'one two three four' }).verdict.passed).toBe(true);
  });

  it('counts characters as code points', () => {
    expect(evaluateGate({ kind: 'minimum-content', minCharacters: 3 }, { text: '😀😀😀' }).verdict.passed).toBe(true);
    expect(evaluateGate({ kind: 'minimum-content', minCharacters: 4 }, { text: '😀😀😀' }).verdict.score).toBe(3 / 4);
  });

  it('passes everything when both minimums are 0', () => {
    expect(evaluateGate({ kind: 'minimum-content', minCharacters: 0 }, { text: '' }).verdict).toMatchObject({
      passed: true,
      score: 1,
    });
  });
});
