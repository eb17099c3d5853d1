import type { AnswerExtractor } from '../contracts/cascade/gate-spec';
import { extractAnswer } from './answer-extractors';

const choiceLetter: AnswerExtractor = { kind: 'choice-letter' };
const finalNumber: AnswerExtractor = { kind: 'final-number' };
const trimmedText: AnswerExtractor = { kind: 'trimmed-text' };

describe('extractAnswer choice-letter', () => {
  it.each([
    ['B', 'the letter alone'],
    ['  B\n', 'the letter with white space'],
    ['(B)', 'in parentheses'],
    ['[B]', 'in brackets'],
    ['B.', 'with a period'],
    ['B)', 'with a closing parenthesis'],
    ['**B**', 'in bold'],
    ['**(B)**', 'in bold parentheses'],
    ['Answer: B', 'after "Answer:"'],
    ['answer: (B)', 'after a lower-case "answer:", in parentheses'],
    ['The answer is B', 'after "The answer is"'],
    ['The correct answer is B.', 'after "The correct answer is", with a period'],
    ['Final answer: **B**', 'after "Final answer:", in bold'],
    ['The answer is option B because it is larger.', 'after "answer is option"'],
    ['The answer is: B', 'after "answer is:"'],
    ['B) Paris', 'as the label of the answer'],
    ['B. Paris is the capital', 'as a label with a period'],
    ['(B) Paris', 'as a label in parentheses'],
    ['**B** Paris', 'as a bold label'],
  ])('reads B from %j (%s)', (text) => {
    expect(extractAnswer(choiceLetter, text)).toBe('B');
  });

  it('takes the last answer statement when the reasoning states more than one', () => {
    expect(extractAnswer(choiceLetter, 'At first the answer is A, but on reflection the answer is C.')).toBe('C');
  });

  it('prefers an answer statement to an opening label', () => {
    expect(extractAnswer(choiceLetter, 'A) is wrong because of X. So the answer is D.')).toBe('D');
  });

  it.each([
    ['The answer is a mammal.', 'a lower-case article is no letter'],
    ['The answer is Bob', 'a letter that starts a word'],
    ['A cat sat on the mat.', 'an article opening prose'],
    ['A.I. is the answer to everything', 'an abbreviation'],
    ['E', 'a letter outside the default A–D'],
    ['The answer is E', 'a stated letter outside A–D'],
    ['I think it is the second one.', 'no letter at all'],
    ['', 'an empty answer'],
  ])('reads nothing from %j (%s)', (text) => {
    expect(extractAnswer(choiceLetter, text)).toBeUndefined();
  });

  it('reads the letters the extractor lists', () => {
    const fiveLetters: AnswerExtractor = { kind: 'choice-letter', letters: 'ABCDE' };
    expect(extractAnswer(fiveLetters, 'The answer is E')).toBe('E');
    expect(extractAnswer(fiveLetters, '(E)')).toBe('E');
    expect(extractAnswer({ kind: 'choice-letter', letters: 'XY' }, 'Answer: B')).toBeUndefined();
  });

  it('answers at once on a long run of spaces after "answer", which a backtracking engine takes cubic time on', () => {
    // 4,000 spaces took 13 s on JavaScript's own engine; 50,000 would take hours.
    const spaces = ' '.repeat(50_000);
    expect(extractAnswer(choiceLetter, `answer${spaces}1`)).toBeUndefined();
    expect(extractAnswer(choiceLetter, `The answer is${spaces}B.`)).toBe('B');
  });
});

describe('extractAnswer final-number', () => {
  it.each([
    ['She has 3 apples and buys 4 more, so 7 in all.\n#### 7', '7', 'the number after ####'],
    ['#### 12\nCheck: 3 × 4 = 12, and 99 is unrelated', '12', 'the first number after #### wins over later ones'],
    ['Step 1: 5\n#### 6\nwait\n#### 8', '8', 'the last #### wins'],
    ['####42', '42', '#### glued to the number'],
    ['#### $1,250.00', '1250', 'a dollar amount with thousands commas and zero cents'],
    ['The total is 1,234,567.', '1234567', 'thousands commas'],
    ['It costs $42.', '42', 'a dollar sign, and a sentence period that is no fraction'],
    ['The result is 42.0', '42', 'a zero fraction'],
    ['The result is -3.50', '-3.5', 'a negative number with a trailing zero'],
    ['It falls to −7 degrees', '-7', 'a Unicode minus'],
    ['The loss is -$3.50', '-3.5', 'a minus before the dollar sign'],
    ['The loss is $-3.50', '-3.5', 'a minus after the dollar sign'],
    ['Roughly .5 of them', '0.5', 'a fraction without an integer part'],
    ['007', '7', 'leading zeros'],
    ['-0.0', '0', 'negative zero'],
    ['pages 3-5', '5', 'a range: the hyphen is no minus sign'],
    ['10% of 250 is 25', '25', 'the last of several numbers'],
    ['That is 1,2,3 in a list', '3', 'commas that are not thousands separators'],
  ])('reads %j as %j (%s)', (text, expected) => {
    expect(extractAnswer(finalNumber, text)).toBe(expected);
  });

  it('gives the same reading to differently written equal numbers', () => {
    const readings = ['#### 1,200', 'So the answer is $1200.00', 'Total: 1200.'].map((text) =>
      extractAnswer(finalNumber, text),
    );
    expect(new Set(readings)).toEqual(new Set(['1200']));
  });

  it('reads nothing from a text without a number, or with nothing numeric after the last ####', () => {
    expect(extractAnswer(finalNumber, 'I do not know.')).toBeUndefined();
    expect(extractAnswer(finalNumber, 'It is 4 + 5.\n#### nine')).toBeUndefined();
  });
});

describe('extractAnswer json-field', () => {
  it('reads a top-level string field as it is', () => {
    expect(extractAnswer({ kind: 'json-field', field: 'answer' }, '{"answer": "Oslo", "confidence": 0.9}')).toBe(
      'Oslo',
    );
  });

  it('reads a dotted path through objects and array indexes, from fenced JSON in prose', () => {
    const text = 'Here:\n```json\n{"result": {"cities": [{"name": "Oslo"}, {"name": "Bergen"}]}}\n```';
    expect(extractAnswer({ kind: 'json-field', field: 'result.cities.1.name' }, text)).toBe('Bergen');
  });

  it('writes other values as canonical JSON, object keys sorted at every level', () => {
    const field: AnswerExtractor = { kind: 'json-field', field: 'value' };
    expect(extractAnswer(field, '{"value": 42}')).toBe('42');
    expect(extractAnswer(field, '{"value": true}')).toBe('true');
    expect(extractAnswer(field, '{"value": null}')).toBe('null');
    expect(extractAnswer(field, '{"value": [3, {"b": 1, "a": 2}]}')).toBe('[3,{"a":2,"b":1}]');
    expect(extractAnswer(field, '{"value": {"b": {"y": 1, "x": 2}, "a": 0}}')).toBe(
      extractAnswer(field, '{"value": {"a": 0, "b": {"x": 2, "y": 1}}}'),
    );
  });

  it('reads nothing when there is no JSON, the path is missing, or it goes through a non-container', () => {
    expect(extractAnswer({ kind: 'json-field', field: 'answer' }, 'Oslo')).toBeUndefined();
    expect(extractAnswer({ kind: 'json-field', field: 'answer' }, '{"other": 1}')).toBeUndefined();
    expect(extractAnswer({ kind: 'json-field', field: 'answer.city' }, '{"answer": "Oslo"}')).toBeUndefined();
    expect(extractAnswer({ kind: 'json-field', field: 'items.5' }, '{"items": [1]}')).toBeUndefined();
    expect(extractAnswer({ kind: 'json-field', field: 'toString' }, '{"a": 1}')).toBeUndefined();
  });
});

describe('extractAnswer trimmed-text', () => {
  it.each([
    ['  Paris  ', 'paris', 'trims'],
    ['PARIS', 'paris', 'folds case'],
    ['New   York\n\tCity', 'new york city', 'folds inner white space'],
    ['Paris.', 'paris', 'strips a trailing period'],
    ['Paris. ', 'paris', 'strips a trailing period before white space'],
    ['Washington, D.C', 'washington, d.c', 'keeps inner periods'],
  ])('reads %j as %j (%s)', (text, expected) => {
    expect(extractAnswer(trimmedText, text)).toBe(expected);
  });

  it('reads nothing from a blank answer', () => {
    expect(extractAnswer(trimmedText, ' \n ')).toBeUndefined();
    expect(extractAnswer(trimmedText, '.')).toBeUndefined();
  });
});
