import { messageBytes, messageTextProblems, utf8ByteLength } from './message-text-problems';

describe('utf8ByteLength', () => {
  it.each(['plain', 'café', '日本語', 'emoji 😀 and more', '', 'a\u0000b'])('counts %j as Buffer does', (text) => {
    expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
  });
});

describe('messageTextProblems', () => {
  const user = (content: string) => ({ role: 'user' as const, content });

  it('accepts ordinary text in any script', () => {
    expect(messageTextProblems([{ role: 'system', content: 'Be brief.' }, user('Grüße, 日本 😀')], 1000)).toEqual([]);
  });

  it.each([
    ['empty text', '', 'messages.0.content: is empty or only whitespace'],
    ['whitespace only', ' \n\t ', 'messages.0.content: is empty or only whitespace'],
    ['a lone surrogate', 'broken \uD800 text', 'messages.0.content: is not valid Unicode text (a lone surrogate)'],
    ['a trailing high surrogate', 'broken \uD83D', 'is not valid Unicode text'],
    ['a NUL character', 'a\u0000b', 'messages.0.content: holds a NUL character'],
  ])('refuses %s, naming the message', (_label, content, expected) => {
    expect(messageTextProblems([user(content)], 1000).join('\n')).toContain(expected);
  });

  it('refuses text above the size limit, counting UTF-8 bytes of every message', () => {
    const messages = [{ role: 'system' as const, content: 'é'.repeat(300) }, user('x'.repeat(401))];
    expect(messageBytes(messages)).toBe(1001);
    expect(messageTextProblems(messages, 1001)).toEqual([]);
    expect(messageTextProblems(messages, 1000)).toEqual([
      'messages: 1001 bytes of text, above the limit of 1000 bytes (limits.maximumRequestBytes)',
    ]);
  });
});
