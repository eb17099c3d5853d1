import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineUpdate,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import {
  millisecondsToEndOf,
  type CanaryBudgetState,
  type CanaryReservation,
  type CanaryReservationInput,
  type CanarySettlementInput,
} from '../contracts/cascade/canary-budget';
import { formatUsd } from '../contracts/cascade/describe-outcome';

export const reserveCanaryBudgetUpdate = defineUpdate<CanaryReservation, [CanaryReservationInput]>('reserve');
export const settleCanaryBudgetUpdate = defineUpdate<CanaryBudgetState, [CanarySettlementInput]>('settle');
export const canaryBudgetStateQuery = defineQuery<CanaryBudgetState>('state');

/** How long after its day a budget stays open, for the settlements of the day's last canaries. */
const graceAfterDayMs = 2 * 3_600_000;

/**
 * The canary budget of one route for one UTC day: an entity workflow (`canary-budget-<route>-<day>`) that
 * grants a canary its estimated cost while the day's spend, with what granted canaries still hold, stays
 * within `maxUsdPerDay`, then books what the canary paid. Its state is in its history, so a worker or
 * server restart neither resets nor double-counts it; a retried reservation or settlement of the same
 * request id gets the same answer. It closes two hours after its day ends.
 */
export async function canaryBudget(state: CanaryBudgetState): Promise<CanaryBudgetState> {
  const reservedUsd = () => Object.values(state.reservations).reduce((total, usd) => total + usd, 0);
  const describe = () =>
    setCurrentDetails(
      `**${state.route} canary budget · ${state.day}**\n\nspent ${formatUsd(state.spentUsd)} · held ${formatUsd(reservedUsd())} · of ${formatUsd(state.maxUsdPerDay)} · ${state.settled} settled · ${state.refused} refused`,
    );
  const reservationOf = (granted: boolean): CanaryReservation => ({
    granted,
    spentUsd: state.spentUsd,
    reservedUsd: reservedUsd(),
    maxUsdPerDay: state.maxUsdPerDay,
  });

  setHandler(reserveCanaryBudgetUpdate, (input) => {
    state.maxUsdPerDay = input.maxUsdPerDay;
    // A retried reservation: granted before, it stays granted.
    if (Object.hasOwn(state.reservations, input.requestId)) return reservationOf(true);
    const granted = state.spentUsd + reservedUsd() + input.estimateUsd <= state.maxUsdPerDay;
    if (granted) state.reservations[input.requestId] = input.estimateUsd;
    else state.refused += 1;
    describe();
    return reservationOf(granted);
  });
  setHandler(settleCanaryBudgetUpdate, (input) => {
    // Only a reservation in flight is settled: a retried settlement finds it gone.
    if (Object.hasOwn(state.reservations, input.requestId)) {
      delete state.reservations[input.requestId];
      state.settled += 1;
      state.spentUsd += input.actualUsd;
    }
    describe();
    return state;
  });
  setHandler(canaryBudgetStateQuery, () => state);
  describe();

  let dayOver = false;
  const remainingMs = millisecondsToEndOf(state.day, workflowInfo().runStartTime) + graceAfterDayMs;
  if (remainingMs > 0) void sleep(remainingMs).then(() => (dayOver = true));
  else dayOver = true;
  await condition(() => dayOver || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  if (!dayOver) await continueAsNew<typeof canaryBudget>(state);
  return state;
}
