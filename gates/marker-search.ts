/** A marker phrase found in an answer. */
export interface MarkerMatch {
  /** The marker as configured. */
  marker: string;
  /** Where it starts in the answer, in UTF-16 code units. */
  index: number;
}

/**
 * The marker that occurs earliest in the text (on a tie, the one listed first), or `undefined`.
 * Matching ignores case and treats typographic apostrophes (’ ‘ ʼ) as `'`, since models write both.
 * A marker that begins or ends with a letter or digit only matches there as a whole word, so
 * `possibly` does not fire on `impossibly`.
 */
export function findFirstMarker(text: string, markers: readonly string[]): MarkerMatch | undefined {
  const haystack = normaliseApostrophes(text);
  let first: MarkerMatch | undefined;
  for (const marker of markers) {
    if (marker.length === 0) continue;
    const match = markerExpression(marker).exec(haystack);
    if (match && (first === undefined || match.index < first.index)) first = { marker, index: match.index };
  }
  return first;
}

function markerExpression(marker: string): RegExp {
  const phrase = normaliseApostrophes(marker);
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const before = /^[\p{L}\p{N}]/u.test(phrase) ? '(?<![\\p{L}\\p{N}_])' : '';
  const after = /[\p{L}\p{N}]$/u.test(phrase) ? '(?![\\p{L}\\p{N}_])' : '';
  return new RegExp(`${before}${escaped}${after}`, 'iu');
}

function normaliseApostrophes(text: string): string {
  return text.replace(/[\u2018\u2019\u02BC]/g, "'");
}
