/** A share as a percentage with one decimal, as report tables show rates: 0.734 → `73.4%`, 0.6 → `60.0%`. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
