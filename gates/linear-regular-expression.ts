import { RE2JS } from 're2js';
import { GateConfigurationError } from './gate-configuration-error';

/** The longest pattern a gate compiles, in characters. */
export const maximumPatternLength = 1000;

/** A compiled pattern that finds a match in time linear in the text's length, whatever the pattern. */
export interface LinearRegularExpression {
  /** Whether the pattern matches somewhere in `text` (at its start, with the `y` flag). */
  test(text: string): boolean;
  /** `/pattern/flags`, distinct for each pattern and flags (ajv keys its compiled patterns by it). */
  toString(): string;
}

/**
 * Compiles a regular expression from config or workflow input on RE2's linear-time engine (re2js), so
 * no pattern can pin a worker's CPU: `^(.+)+Z$` fails in milliseconds on any text. RE2 refuses what
 * needs backtracking (backreferences, lookahead and lookbehind) and a pattern of more than
 * `maximumPatternLength` characters is refused too; either throws `GateConfigurationError`, naming the
 * pattern and why. Flags: `i`, `m` and `s` as in JavaScript; `y` matches at the start of the text only;
 * `g`, `d`, `u` and `v` do not change whether a pattern matches and are ignored.
 */
export function compileLinearRegularExpression(options: {
  pattern: string;
  flags?: string;
  /** Names the pattern's owner in errors, e.g. `required-pattern gate`. */
  owner: string;
}): LinearRegularExpression {
  const { pattern, owner } = options;
  const flags = options.flags ?? '';
  const shown = pattern.length > 80 ? `/${pattern.slice(0, 80)}…/${flags}` : `/${pattern}/${flags}`;
  if (pattern.length > maximumPatternLength)
    throw new GateConfigurationError({
      message: `${owner}: ${shown} is ${pattern.length} characters long; patterns are limited to ${maximumPatternLength}`,
    });
  const unknownFlag = [...flags].find((flag) => !'dgimsuvy'.includes(flag));
  if (unknownFlag !== undefined)
    throw new GateConfigurationError({ message: `${owner}: "${unknownFlag}" is not a regular expression flag` });
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern, engineFlags(flags));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GateConfigurationError({
      message: `${owner}: ${shown} cannot run on the linear-time engine (RE2 syntax, no backreferences or lookaround): ${reason}`,
      cause: error,
    });
  }
  const anchored = flags.includes('y');
  return {
    test: (text) => (anchored ? compiled.matcher(text).lookingAt() : compiled.matcher(text).find()),
    toString: () => `/${pattern}/${flags}`,
  };
}

function engineFlags(flags: string): number {
  let engine = 0;
  if (flags.includes('i')) engine |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) engine |= RE2JS.MULTILINE;
  if (flags.includes('s')) engine |= RE2JS.DOTALL;
  return engine;
}
