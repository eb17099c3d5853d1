import { RefusedRequestError } from '../http/refused-request';
import { paramOf, parseChatCompletionRequest } from './chat-completion-request';

function refusal(body: unknown): RefusedRequestError {
  try {
    parseChatCompletionRequest(body);
  } catch (error) {
    if (RefusedRequestError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseChatCompletionRequest', () => {
  it('reads a route, the messages, sampling, the schema and the tags', () => {
    const call = parseChatCompletionRequest({
      model: 'cascade/support-ticket',
      messages: [
        { role: 'developer', content: 'Classify.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'I was ' },
            { type: 'text', text: 'charged twice' },
          ],
        },
      ],
      temperature: 0.2,
      max_tokens: 50,
      max_completion_tokens: 40,
      response_format: { type: 'json_schema', json_schema: { name: 't', schema: { type: 'object' } } },
      user: 'u-1',
      metadata: { feature: 'triage' },
      stream: true,
      stream_options: { include_usage: true },
      seed: 3,
    });
    expect(call).toEqual({
      route: 'support-ticket',
      requestedModel: 'cascade/support-ticket',
      messages: [
        { role: 'system', content: 'Classify.' },
        { role: 'user', content: 'I was charged twice' },
      ],
      temperature: 0.2,
      maxOutputTokens: 40,
      outputSchema: { type: 'object' },
      responseFormat: 'json_schema',
      tags: { feature: 'triage', user: 'u-1' },
      stream: true,
      includeUsage: true,
    });
  });

  it('reads json_object as a schema of any object, and leaves out what the request does not set', () => {
    const call = parseChatCompletionRequest({
      model: 'tickets',
      messages: [{ role: 'user', content: 'hi' }],
      response_format: { type: 'json_object' },
      temperature: null,
    });
    expect(call).toEqual({
      route: 'tickets',
      requestedModel: 'tickets',
      messages: [{ role: 'user', content: 'hi' }],
      outputSchema: { type: 'object' },
      responseFormat: 'json_object',
      tags: {},
      stream: false,
      includeUsage: false,
    });
  });

  it.each([
    ['a body that is not an object', [1, 2], undefined],
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model'],
    ['no messages', { model: 'r', messages: [] }, 'messages'],
    [
      'a temperature above 2',
      { model: 'r', messages: [{ role: 'user', content: 'x' }], temperature: 3 },
      'temperature',
    ],
    ['two choices', { model: 'r', messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    ['tools', { model: 'r', messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, 'tools'],
    ['log-probabilities', { model: 'r', messages: [{ role: 'user', content: 'x' }], logprobs: true }, 'logprobs'],
    ['a tool message', { model: 'r', messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    [
      'an image part',
      { model: 'r', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] },
      'messages[0].content[0]',
    ],
    [
      'tool calls',
      {
        model: 'r',
        messages: [
          { role: 'assistant', content: null, tool_calls: [{ id: 'a' }] },
          { role: 'user', content: 'x' },
        ],
      },
      'messages[0].tool_calls',
    ],
    ['a message without content', { model: 'r', messages: [{ role: 'user' }] }, 'messages[0].content'],
    [
      'a metadata key with a space',
      { model: 'r', messages: [{ role: 'user', content: 'x' }], metadata: { 'a b': 'c' } },
      'metadata.a b',
    ],
    [
      'an unknown response format',
      { model: 'r', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'yaml' } },
      'response_format.type',
    ],
  ])('refuses %s with a 400 naming the field', (_label, body, param) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    if (param) expect(error.message.startsWith(`${param}: `)).toBe(true);
  });
});

describe('paramOf', () => {
  it('writes indexes in brackets', () => {
    expect(paramOf(['messages', 2, 'content', 0, 'type'])).toBe('messages[2].content[0].type');
  });
});
