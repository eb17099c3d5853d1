import { RE2JS } from 're2js';

/** Where in the answer the JSON value was found. */
export type JsonSource = 'bare' | 'fenced' | 'span';

export type JsonExtraction = { found: true; value: unknown; source: JsonSource } | { found: false; problem: string };

/** How many opening brackets are tried as the start of a JSON span; bounds the work on long prose. */
const maximumSpanStarts = 16;

/**
 * The deepest nesting of arrays and objects read as an answer's JSON. Deeper JSON is refused before it
 * is parsed: a schema that refers to itself, an extractor, and the recorded verdict would otherwise
 * recurse once per level, and an answer of `[[[[…]]]]` would overflow the stack.
 */
export const maximumJsonDepth = 100;

/**
 * Finds the JSON value in a model's answer. Tried in order, the first that parses wins:
 * 1. the whole answer, trimmed (a bare JSON value);
 * 2. a fenced block labelled `json`, then an unlabelled fenced block;
 * 3. the first balanced `{...}` or `[...]` span (strings and escapes respected) that parses.
 */
export function extractJson(text: string): JsonExtraction {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { found: false, problem: 'the answer is empty' };

  const bare = parseJson(trimmed);
  if (bare.parsed) return { found: true, value: bare.value, source: 'bare' };

  let firstProblem: string | undefined;
  for (const block of fencedBlocks(text)) {
    const fenced = parseJson(block);
    if (fenced.parsed) return { found: true, value: fenced.value, source: 'fenced' };
    firstProblem ??= `the fenced block does not parse: ${fenced.problem}`;
  }

  let start = nextOpeningBracket(text, 0);
  for (let attempt = 0; start >= 0 && attempt < maximumSpanStarts; attempt += 1) {
    const end = balancedSpanEnd(text, start);
    if (end >= 0) {
      const span = parseJson(text.slice(start, end + 1));
      if (span.parsed) return { found: true, value: span.value, source: 'span' };
      firstProblem ??= `the ${text[start] === '{' ? '{...}' : '[...]'} span does not parse: ${span.problem}`;
      // Skip the whole span: a bracket nested in JSON that does not parse is not the answer's value.
      start = nextOpeningBracket(text, end + 1);
    } else {
      firstProblem ??= `the ${text[start]} at character ${start} is never closed`;
      start = nextOpeningBracket(text, start + 1);
    }
  }

  return { found: false, problem: firstProblem ?? 'the answer holds no JSON object or array' };
}

function parseJson(text: string): { parsed: true; value: unknown } | { parsed: false; problem: string } {
  if (nestingExceeds(text, maximumJsonDepth))
    return { parsed: false, problem: `it nests arrays and objects deeper than ${maximumJsonDepth} levels` };
  try {
    return { parsed: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { parsed: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A fenced block: its label and its body. On RE2's linear-time engine, since a backtracking engine
 * takes time quadratic in a model's answer made of unclosed fences.
 */
const fencedBlock = RE2JS.compile('```[ \\t]*([A-Za-z0-9_+-]*)[^\\n]*\\n((?s:.)*?)```');

/** Contents of ```json blocks first, then of unlabelled ``` blocks, each group in order of appearance. */
function fencedBlocks(text: string): string[] {
  const labelled: string[] = [];
  const unlabelled: string[] = [];
  const matcher = fencedBlock.matcher(text);
  while (matcher.find()) {
    const label = (matcher.group(1) ?? '').toLowerCase();
    const body = matcher.group(2) ?? '';
    if (label === 'json') labelled.push(body);
    else if (label === '') unlabelled.push(body);
  }
  return [...labelled, ...unlabelled];
}

function nextOpeningBracket(text: string, from: number): number {
  for (let index = from; index < text.length; index += 1) {
    if (text[index] === '{' || text[index] === '[') return index;
  }
  return -1;
}

/** Index of the bracket that closes the one at `start`, or -1 when brackets do not balance. */
function balancedSpanEnd(text: string, start: number): number {
  const expectedClosers: string[] = [];
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{') expectedClosers.push('}');
    else if (character === '[') expectedClosers.push(']');
    else if (character === '}' || character === ']') {
      if (expectedClosers.pop() !== character) return -1;
      if (expectedClosers.length === 0) return index;
    }
  }
  return -1;
}

/** Whether brackets outside strings nest deeper than `limit`; one pass, stopping at the first level too deep. */
function nestingExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index += 1;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') {
      depth += 1;
      if (depth > limit) return true;
    } else if (character === '}' || character === ']') depth -= 1;
  }
  return false;
}
