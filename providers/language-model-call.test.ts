import { toPrompt } from './language-model-call';

describe('toPrompt', () => {
  it('moves leading system messages to the system option and keeps the rest in order', () => {
    const prompt = toPrompt([
      { role: 'system', content: 'Be terse.' },
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour.' },
      { role: 'system', content: 'Now in English.' },
      { role: 'user', content: 'Capital of France?' },
    ]);

    expect(prompt.system).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'system', content: 'Answer in French.' },
    ]);
    expect(prompt.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Bonjour.' },
      { role: 'system', content: 'Now in English.' },
      { role: 'user', content: 'Capital of France?' },
    ]);
  });

  it('gives no system option to a chat without leading system messages', () => {
    expect(toPrompt([{ role: 'user', content: 'Hi' }])).toEqual({ system: undefined, messages: [{ role: 'user', content: 'Hi' }] });
  });
});
