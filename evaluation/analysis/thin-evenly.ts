/**
 * At most `count` of `values`, evenly spaced by position and always keeping the first and the last: the
 * values at the quantiles 0, 1/(count-1), ..., 1 of the list. Order is kept; when `count` covers the list,
 * the whole list comes back.
 *
 * @throws RangeError when `count` is not an integer of at least 2.
 */
export function thinEvenly<Value>(values: readonly Value[], count: number): Value[] {
  if (!Number.isInteger(count) || count < 2)
    throw new RangeError(`thinEvenly: count must be an integer of at least 2, got ${count}`);
  if (values.length <= count) return [...values];
  const lastIndex = values.length - 1;
  // With more values than slots the step exceeds one, so no index repeats.
  return Array.from({ length: count }, (_unused, slot) => values[Math.round((slot * lastIndex) / (count - 1))]!);
}
