/** A canary's request to spend up to `estimateUsd` of its route's budget for one UTC day. */
export interface CanaryReservationInput {
  requestId: string;
  estimateUsd: number;
  /** The route's `canary.maxUsdPerDay` as the canary's policy has it; the latest one holds. */
  maxUsdPerDay: number;
}

export interface CanaryReservation {
  granted: boolean;
  /** Settled spend of the day, and what granted canaries still hold. */
  spentUsd: number;
  reservedUsd: number;
  maxUsdPerDay: number;
}

/** What a granted canary paid: its reservation is released and this is spent. */
export interface CanarySettlementInput {
  requestId: string;
  actualUsd: number;
}

/** A route's canary budget of one day, as its workflow holds it (and carries it across continue-as-new). */
export interface CanaryBudgetState {
  route: string;
  /** `2026-12-02` (UTC). */
  day: string;
  maxUsdPerDay: number;
  spentUsd: number;
  /**
   * Granted canaries not settled yet, by request id, with their estimate. A settlement removes its entry, so a
   * retried settlement finds none and counts nothing twice; the map holds only the canaries in flight.
   */
  reservations: Record<string, number>;
  /** Canaries settled so far. */
  settled: number;
  /** Requests refused because the budget was spent. */
  refused: number;
}

/** The UTC day of an instant, `2026-12-02`. */
export function utcDayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Milliseconds from `instant` to the end of the UTC day `day` (negative once it has ended). */
export function millisecondsToEndOf(day: string, instant: Date): number {
  return Date.parse(`${day}T00:00:00.000Z`) + 86_400_000 - instant.getTime();
}
