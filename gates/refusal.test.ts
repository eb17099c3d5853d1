import { evaluateGate } from './evaluate-gate';
import { defaultRefusalMarkers } from './refusal';

describe('refusal gate', () => {
  it('passes an answer without a refusal marker', () => {
    const { verdict } = evaluateGate({ kind: 'refusal' }, { text: 'The capital of Norway is Oslo.' });
    expect(verdict).toEqual({
      gate: 'refusal',
      passed: true,
      score: 1,
      reasons: [],
      detail: `no refusal marker found (${defaultRefusalMarkers.length} checked)`,
    });
  });

  it('fails a refusal, quoting the marker found', () => {
    const { verdict } = evaluateGate({ kind: 'refusal' }, { text: "I'm sorry, but I can't help with that request." });
    expect(verdict).toEqual({
      gate: 'refusal',
      passed: false,
      score: 0,
      reasons: ['refusal'],
      detail: `refusal marker "I'm sorry, but" found at character 0`,
    });
  });

  it.each([
    'I cannot help with medical diagnoses.',
    'As an AI, I do not have opinions.',
    'i am unable to browse the web.',
    'Unfortunately I won\u2019t be able to do that.',
    'I must decline this request.',
  ])('fails %j', (text) => {
    expect(evaluateGate({ kind: 'refusal' }, { text }).verdict.reasons).toEqual(['refusal']);
  });

  it.each([
    "I can't help but notice the loop never ends; here is the fix.",
    'Sorry for the wait: the answer is 42.',
    'Use a semaphore, and the workers cannot assistant-hop.',
  ])('passes the confident answer %j', (text) => {
    expect(evaluateGate({ kind: 'refusal' }, { text }).verdict.passed).toBe(true);
  });

  it('uses the markers of the spec instead of the defaults', () => {
    const gate = { kind: 'refusal' as const, markers: ['Ich kann nicht'] };
    expect(evaluateGate(gate, { text: "I'm sorry, but no." }).verdict.passed).toBe(true);
    expect(evaluateGate(gate, { text: 'Leider: ich kann nicht helfen.' }).verdict.detail).toBe(
      'refusal marker "Ich kann nicht" found at character 8',
    );
  });
});
