import { extractJson, maximumJsonDepth } from './json-extraction';

describe('extractJson', () => {
  it('reads a bare JSON value, surrounding whitespace included', () => {
    expect(extractJson('  {"answer": 42}\n')).toEqual({ found: true, value: { answer: 42 }, source: 'bare' });
    expect(extractJson('[1, 2]')).toEqual({ found: true, value: [1, 2], source: 'bare' });
    expect(extractJson('true')).toEqual({ found: true, value: true, source: 'bare' });
  });

  it('reads a ```json fenced block in prose', () => {
    const text = 'Here you go:\n```json\n{"name": "Ada", "tags": ["x"]}\n```\nAnything else?';
    expect(extractJson(text)).toEqual({ found: true, value: { name: 'Ada', tags: ['x'] }, source: 'fenced' });
  });

  it('prefers a ```json block to an unlabelled block before it, and ignores blocks of other languages', () => {
    const text = '```python\nprint({"a": 1})\n```\n```\n{"unlabelled": true}\n```\n```JSON\n{"labelled": true}\n```';
    expect(extractJson(text)).toEqual({ found: true, value: { labelled: true }, source: 'fenced' });
  });

  it('reads an unlabelled fenced block', () => {
    expect(extractJson('Result:\n```\n[3]\n```')).toEqual({ found: true, value: [3], source: 'fenced' });
  });

  it('reads the first balanced {...} span, braces inside strings included', () => {
    const text = 'The result is {"text": "a } and a { inside", "n": [1, {"m": 2}]} as asked. {"second": 1}';
    expect(extractJson(text)).toEqual({
      found: true,
      value: { text: 'a } and a { inside', n: [1, { m: 2 }] },
      source: 'span',
    });
  });

  it('skips a span that does not parse, without descending into it', () => {
    const text = 'Not JSON: {name: [1, 2]}. JSON: {"name": [3]}';
    expect(extractJson(text)).toEqual({ found: true, value: { name: [3] }, source: 'span' });
  });

  it('skips a bracket that is never closed', () => {
    expect(extractJson('Items [see below: {"a": 1}')).toEqual({ found: true, value: { a: 1 }, source: 'span' });
  });

  it('reports why nothing was found', () => {
    expect(extractJson('   ')).toEqual({ found: false, problem: 'the answer is empty' });
    expect(extractJson('Just prose.')).toEqual({ found: false, problem: 'the answer holds no JSON object or array' });
    const truncated = extractJson('{"a": [1, 2');
    expect(truncated.found).toBe(false);
    expect(!truncated.found && truncated.problem).toBe('the { at character 0 is never closed');
    const fenced = extractJson('```json\n{"a": 1,}\n```');
    expect(!fenced.found && fenced.problem).toMatch(/^the fenced block does not parse: /);
  });

  it('answers at once on an answer of unclosed fences and brackets, which a backtracking engine takes quadratic time on', () => {
    const fences = extractJson('```'.repeat(100_000));
    expect(fences).toEqual({ found: false, problem: 'the answer holds no JSON object or array' });
    const brackets = extractJson('{'.repeat(300_000));
    expect(!brackets.found && brackets.problem).toBe('the { at character 0 is never closed');
  });
});

describe('extractJson on adversarial answers', () => {
  it('refuses JSON nested deeper than the bound before parsing it, and reads JSON at the bound', () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(extractJson(nested(maximumJsonDepth))).toMatchObject({ found: true, source: 'bare' });
    const deep = extractJson(nested(200_000));
    expect(deep).toMatchObject({ found: false });
    expect((deep as { problem: string }).problem).toContain(`deeper than ${maximumJsonDepth} levels`);
  });

  it('counts brackets inside strings as text, not nesting', () => {
    const value = { text: '['.repeat(500) };
    expect(extractJson(JSON.stringify(value))).toEqual({ found: true, value, source: 'bare' });
  });
});
