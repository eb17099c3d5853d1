/** How many characters of a quoted value a verdict's detail shows, unless told otherwise. */
const defaultQuotedCharacters = 60;

/** A share as a percentage with at most one decimal: 0.6 → `60%`, 2/3 → `66.7%`. */
export function formatPercent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** A score with at most two decimals: 0.6 → `0.6`, 2/3 → `0.67`. */
export function formatScore(score: number): string {
  return String(Number(score.toFixed(2)));
}

/** A value in double quotes (JSON escapes), cut after `maximumCharacters` (@default 60) with `…`. */
export function quoteForDetail(value: string, maximumCharacters = defaultQuotedCharacters): string {
  const characters = Array.from(value);
  const shown = characters.length > maximumCharacters ? `${characters.slice(0, maximumCharacters).join('')}…` : value;
  return JSON.stringify(shown);
}
