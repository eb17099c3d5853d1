import { RE2JS } from 're2js';
import type { AnswerExtractor } from '../contracts/cascade/gate-spec';
import { extractJson } from './json-extraction';

/** The choice letters of a multiple-choice question unless the extractor lists its own. */
export const defaultChoiceLetters = 'ABCD';

/**
 * The answer an answer states, in a form two answers can be compared by (`===`), or `undefined`
 * when it states none the extractor can read. Pure and deterministic.
 * - `choice-letter`: the standalone capital letter (of `letters`, @default 'ABCD') that the answer
 *   gives: the last `answer is B` / `Answer: (B)` statement, else an answer that is the letter alone
 *   (`B`, `(B)`, `B.`, `**B**`) or opens with it as a label (`B) Paris`, `B. Paris`).
 * - `final-number`: the first number after the last `####` (GSM8K style; nothing numeric after it
 *   gives `undefined`), else the last number of the text; normalised (see `normaliseNumber`).
 * - `json-field`: the value at a dotted path (`answer.city`, `items.0`) of the answer's JSON (see
 *   `extractJson`); a string as it is, any other value as canonical JSON (object keys sorted).
 * - `trimmed-text`: the answer trimmed, lower-cased, inner white space folded to one space, without
 *   a trailing period.
 */
export function extractAnswer(extractor: AnswerExtractor, text: string): string | undefined {
  switch (extractor.kind) {
    case 'choice-letter':
      return extractChoiceLetter(text, extractor.letters ?? defaultChoiceLetters);
    case 'final-number':
      return extractFinalNumber(text);
    case 'json-field':
      return extractJsonField(text, extractor.field);
    case 'trimmed-text':
      return extractTrimmedText(text);
  }
}

/** A short name of what an extractor reads, for verdict details (`choice letter`, `JSON field "a.b"`). */
export function describeExtractor(extractor: AnswerExtractor): string {
  switch (extractor.kind) {
    case 'choice-letter':
      return 'choice letter';
    case 'final-number':
      return 'final number';
    case 'json-field':
      return `JSON field "${extractor.field}"`;
    case 'trimmed-text':
      return 'text';
  }
}

// A letter is only an answer when nothing alphanumeric touches it: "B" in "Bob" or "A" in "A.I." is not.
const standaloneEnd = '(?:[^A-Za-z0-9]|$)';
const openers = '[\\s(\\[*_]*';

/**
 * "answer is B", "Answer: (B)", "final answer: **B**", "answer is option C". Matched case-insensitively
 * (the captured letter is checked against the capitals afterwards, so "the answer is a mammal" is no "A"),
 * on RE2's linear-time engine: its runs of optional white space would make a backtracking engine take
 * time cubic in a long run of spaces after "answer", and the text is a model's.
 */
const answerStatement = RE2JS.compile(
  `\\banswer\\b(?:\\s+(?:is|would be|will be|should be))?\\s*[:=-]?\\s*(?:(?:option|choice)\\s+)?${openers}([a-z])${standaloneEnd}`,
  RE2JS.CASE_INSENSITIVE,
);

function statedLetters(text: string): string[] {
  const letters: string[] = [];
  const matcher = answerStatement.matcher(text);
  while (matcher.find()) letters.push(matcher.group(1)!);
  return letters;
}

function extractChoiceLetter(text: string, letters: string): string | undefined {
  const stated = statedLetters(text).filter((letter) => isChoiceLetter(letter, letters));
  if (stated.length > 0) return stated[stated.length - 1];

  // The letter alone, dressed or not: "B", "(B)", "B.", "**B**", "[B]".
  const alone = /^[\s([*_]*([A-Z])[\s)\].:*_]*$/.exec(text);
  if (alone && isChoiceLetter(alone[1]!, letters)) return alone[1];

  // The letter as a label opening the answer: "B) Paris", "B. Paris", "(B) Paris", "**B** Paris".
  const label = /^[\s([*_]*([A-Z])\s*(?:[)\].:]|\*\*|__)+(?=\s|$)/.exec(text);
  if (label && isChoiceLetter(label[1]!, letters)) return label[1];

  return undefined;
}

function isChoiceLetter(letter: string, letters: string): boolean {
  return letter.length === 1 && letter >= 'A' && letter <= 'Z' && letters.includes(letter);
}

/**
 * A number as written in prose: an optional sign (ASCII or Unicode minus, not glued to a preceding word
 * or digit, so "3-5" ends in 5, not -5), an optional `$`, digits with optional thousands commas, and an
 * optional fraction.
 */
const numberInProse = /(?<![A-Za-z0-9_.])([-\u2212]?)\$?([-\u2212]?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(?![0-9])/g;

function extractFinalNumber(text: string): string | undefined {
  const marker = text.lastIndexOf('####');
  if (marker >= 0) return numbersIn(text.slice(marker + 4))[0];
  const numbers = numbersIn(text);
  return numbers[numbers.length - 1];
}

function numbersIn(text: string): string[] {
  const numbers: string[] = [];
  for (const match of text.matchAll(numberInProse)) {
    const [, signBefore = '', signAfter = '', integer, fraction] = match;
    if (integer === undefined && fraction === undefined) continue;
    numbers.push(
      normaliseNumber({
        negative: signBefore !== '' || signAfter !== '',
        integer: integer ?? '0',
        fraction: fraction ?? '',
      }),
    );
  }
  return numbers;
}

/**
 * The canonical text of a decimal number, done on the digits so no precision is lost: no thousands
 * commas, no leading zeros, no trailing zeros of the fraction, no lone point, no negative zero
 * ("1,200.50" → "1200.5", "42.0" → "42", "-0.0" → "0").
 */
function normaliseNumber(options: { negative: boolean; integer: string; fraction: string }): string {
  const integer = options.integer.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  const fraction = options.fraction.replace(/^\./, '').replace(/0+$/, '');
  const magnitude = fraction === '' ? integer : `${integer}.${fraction}`;
  return options.negative && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}

function extractJsonField(text: string, field: string): string | undefined {
  const extraction = extractJson(text);
  if (!extraction.found) return undefined;
  let value: unknown = extraction.value;
  for (const segment of field.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(segment)) value = value[Number(segment)];
    else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, segment)) value = value[segment];
    else return undefined;
  }
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : canonicalJson(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

function extractTrimmedText(text: string): string | undefined {
  const folded = text.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, '').trimEnd();
  return folded === '' ? undefined : folded;
}
