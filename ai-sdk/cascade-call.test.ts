import {
  InvalidArgumentError,
  UnsupportedFunctionalityError,
  type JSONSchema7,
  type LanguageModelV4CallOptions,
} from '@ai-sdk/provider';
import { compiledJsonSchema } from '../gates/compiled-json-schemas';
import { cascadeCallOf } from './cascade-call';

const prompt: LanguageModelV4CallOptions['prompt'] = [
  { role: 'system', content: 'Answer as JSON.' },
  { role: 'user', content: [{ type: 'text', text: 'My invoice is wrong.' }] },
];

function callOf(call: Partial<LanguageModelV4CallOptions>, generated = 'ai-sdk-generated') {
  return cascadeCallOf({ route: 'tickets', call: { prompt, ...call }, generateRequestId: () => generated });
}

describe('cascadeCallOf', () => {
  it('makes a plain call a request of the route, under a generated id, without warnings', () => {
    expect(callOf({})).toEqual({
      request: {
        requestId: 'ai-sdk-generated',
        route: 'tickets',
        messages: [
          { role: 'system', content: 'Answer as JSON.' },
          { role: 'user', content: 'My invoice is wrong.' },
        ],
      },
      warnings: [],
      requestIdSource: 'generated',
    });
  });

  it('passes temperature, maxOutputTokens and the tags of providerOptions.cascade', () => {
    const { request } = callOf({
      temperature: 0.2,
      maxOutputTokens: 300,
      providerOptions: { cascade: { tags: { customer: 'acme' } }, openai: { user: 'x' } },
    });
    expect(request).toMatchObject({ temperature: 0.2, maxOutputTokens: 300, tags: { customer: 'acme' } });
  });

  it('takes the request id from providerOptions.cascade, else Idempotency-Key, else X-Request-Id', () => {
    const headers = { 'Idempotency-Key': 'key-1', 'X-Request-Id': 'req-1' };
    expect(callOf({ headers, providerOptions: { cascade: { requestId: 'given-1' } } })).toMatchObject({
      request: { requestId: 'given-1' },
      requestIdSource: 'providerOptions.cascade.requestId',
    });
    expect(callOf({ headers })).toMatchObject({
      request: { requestId: 'key-1' },
      requestIdSource: 'headers.idempotency-key',
    });
    expect(callOf({ headers: { 'x-request-id': 'req-1', 'idempotency-key': undefined } })).toMatchObject({
      request: { requestId: 'req-1' },
      requestIdSource: 'headers.x-request-id',
    });
  });

  it('refuses a request id a cascade cannot take, naming where it came from', () => {
    expect(() => callOf({ headers: { 'Idempotency-Key': 'two words' } })).toThrow(
      new InvalidArgumentError({
        argument: 'headers.idempotency-key',
        message:
          'headers.idempotency-key is "two words": a request id is 1 to 200 letters, digits and . _ : @ / -, starting with a letter or digit',
      }),
    );
  });

  it('refuses unknown or mistyped fields of providerOptions.cascade', () => {
    expect(() => callOf({ providerOptions: { cascade: { requestID: 'x' } } })).toThrow(
      /providerOptions\.cascade: .*requestID/,
    );
    expect(() => callOf({ providerOptions: { cascade: { tags: { customer: 1 } } } })).toThrow(
      /providerOptions\.cascade: tags\.customer/,
    );
  });

  it('sends a JSON response format as the outputSchema, in the draft-07 the gate reads', () => {
    const schema: JSONSchema7 = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { category: { type: 'string', enum: ['billing', 'bug'] } },
      required: ['category'],
      additionalProperties: false,
    };
    const { request } = callOf({ responseFormat: { type: 'json', schema } });
    expect(request.outputSchema).toEqual(schema);
    const validate = compiledJsonSchema(request.outputSchema!);
    expect(validate({ category: 'billing' })).toBe(true);
    expect(validate({ category: 'shipping' })).toBe(false);

    expect(callOf({ responseFormat: { type: 'json' } }).request.outputSchema).toEqual({ type: 'object' });
    expect(callOf({ responseFormat: { type: 'text' } }).request).not.toHaveProperty('outputSchema');
  });

  it('warns of each sampling setting a cascade does not apply', () => {
    const { warnings, request } = callOf({
      topP: 0.9,
      topK: 40,
      seed: 7,
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      stopSequences: ['\n\n'],
      reasoning: 'high',
    });
    expect(warnings.map((warning) => (warning.type === 'unsupported' ? warning.feature : warning.type))).toEqual([
      'topP',
      'topK',
      'seed',
      'presencePenalty',
      'frequencyPenalty',
      'stopSequences',
      'reasoning',
    ]);
    expect(request).not.toHaveProperty('topP');
    expect(callOf({ stopSequences: [], reasoning: 'provider-default' }).warnings).toEqual([]);
  });

  it('refuses tools', () => {
    const call = () =>
      callOf({
        tools: [{ type: 'function', name: 'weather', inputSchema: { type: 'object' } }],
      });
    expect(call).toThrow(UnsupportedFunctionalityError);
    expect(call).toThrow('tools (weather): a cascade answers with text and calls no tools');
  });
});
