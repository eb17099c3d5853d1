import { InvalidPromptError, UnsupportedFunctionalityError, type LanguageModelV4Prompt } from '@ai-sdk/provider';
import { chatMessagesOf } from './prompt-messages';

function caught(prompt: LanguageModelV4Prompt): unknown {
  try {
    chatMessagesOf(prompt);
  } catch (error) {
    return error;
  }
  throw new Error('expected chatMessagesOf to throw');
}

describe('chatMessagesOf', () => {
  it('keeps system, user and assistant text, joining each message’s text parts', () => {
    expect(
      chatMessagesOf([
        { role: 'system', content: 'Classify the ticket.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'My invoice ' },
            { type: 'text', text: 'is wrong.' },
          ],
        },
        { role: 'assistant', content: [{ type: 'text', text: '{"category": "billing"}' }] },
        { role: 'user', content: [{ type: 'text', text: 'And the refund?', providerOptions: { other: { a: 1 } } }] },
      ]),
    ).toEqual([
      { role: 'system', content: 'Classify the ticket.' },
      { role: 'user', content: 'My invoice is wrong.' },
      { role: 'assistant', content: '{"category": "billing"}' },
      { role: 'user', content: 'And the refund?' },
    ]);
  });

  it('refuses an empty prompt', () => {
    const error = caught([]);
    expect(error).toBeInstanceOf(InvalidPromptError);
    expect((error as Error).message).toContain('the prompt has no message');
  });

  it('refuses a prompt that does not end with a user message', () => {
    const error = caught([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
    ]);
    expect(error).toBeInstanceOf(InvalidPromptError);
    expect((error as Error).message).toContain('ends with a assistant message');
    expect(InvalidPromptError.isInstance(caught([{ role: 'system', content: 'Only instructions.' }]))).toBe(true);
  });

  it('refuses a tool message, naming it and where it is', () => {
    const error = caught([
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'tool',
        content: [
          { type: 'tool-result', toolCallId: 'c1', toolName: 'weather', output: { type: 'text', value: 'sunny' } },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Thanks' }] },
    ]);
    expect(error).toBeInstanceOf(UnsupportedFunctionalityError);
    expect((error as UnsupportedFunctionalityError).functionality).toBe('tool messages');
    expect((error as Error).message).toBe(
      'prompt[1] is a tool message: a cascade takes system, user and assistant messages of text',
    );
  });

  it('refuses a tool call in an assistant message', () => {
    const error = caught([
      { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool-call', toolCallId: 'c1', toolName: 'weather', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Well?' }] },
    ]);
    expect((error as UnsupportedFunctionalityError).functionality).toBe('tool calls');
    expect((error as Error).message).toBe(
      'prompt[1].content[1] is a tool-call part of a assistant message: a cascade takes text parts only',
    );
  });

  it('refuses a file or an image, naming its media type', () => {
    const error = caught([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'file', mediaType: 'image/png', data: { type: 'data', data: 'iVBORw0KGgo=' } },
        ],
      },
    ]);
    expect(error).toBeInstanceOf(UnsupportedFunctionalityError);
    expect((error as UnsupportedFunctionalityError).functionality).toBe('file parts (images, documents, audio)');
    expect((error as Error).message).toBe(
      'prompt[0].content[1] is a file part (image/png) of a user message: a cascade takes text parts only',
    );
  });

  it('refuses reasoning carried over in an assistant message', () => {
    const error = caught([
      { role: 'user', content: [{ type: 'text', text: 'Hi' }] },
      { role: 'assistant', content: [{ type: 'reasoning', text: 'The user greets me.' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hello?' }] },
    ]);
    expect((error as UnsupportedFunctionalityError).functionality).toBe('reasoning parts');
  });
});
