import { evaluateGate } from './evaluate-gate';
import { defaultUncertaintyMarkers } from './uncertainty';

describe('uncertainty gate', () => {
  it('passes a confident answer', () => {
    const { verdict } = evaluateGate({ kind: 'uncertainty' }, { text: 'Water boils at 100 °C at sea level.' });
    expect(verdict).toEqual({
      gate: 'uncertainty',
      passed: true,
      score: 1,
      reasons: [],
      detail: `no uncertainty marker found (${defaultUncertaintyMarkers.length} checked)`,
    });
  });

  it('fails an unsure answer, quoting the marker found', () => {
    const { verdict } = evaluateGate({ kind: 'uncertainty' }, { text: 'It was built in 1850, but I\u2019m not sure.' });
    expect(verdict).toEqual({
      gate: 'uncertainty',
      passed: false,
      score: 0,
      reasons: ['uncertain'],
      detail: `uncertainty marker "I'm not sure" found at character 26`,
    });
  });

  it.each([
    "I don't know who won.",
    'It is unclear from the sources.',
    'My best guess is 7.',
    'I cannot be certain of the date.',
  ])('fails %j', (text) => {
    expect(evaluateGate({ kind: 'uncertainty' }, { text }).verdict.reasons).toEqual(['uncertain']);
  });

  it.each([
    'This might be faster with an index, so add one on user_id.',
    'It is possibly the most used sorting algorithm: quicksort.',
    'Nobody knows the trouble I have seen.',
  ])('passes the confident answer %j, since bare hedging words are not default markers', (text) => {
    expect(evaluateGate({ kind: 'uncertainty' }, { text }).verdict.passed).toBe(true);
  });

  it('uses the markers of the spec instead of the defaults', () => {
    const gate = { kind: 'uncertainty' as const, markers: ['possibly', 'might be'] };
    expect(evaluateGate(gate, { text: 'It might be 7.' }).verdict.detail).toBe(
      'uncertainty marker "might be" found at character 3',
    );
    expect(evaluateGate(gate, { text: "I don't know." }).verdict.passed).toBe(true);
  });
});
