import { ApplicationFailure } from '@temporalio/common';

/** How many links `causeChain` follows at most: chains this deep are not written by hand. */
export const maximumCauseChainLength = 16;

/**
 * An error followed by its causes, outermost first: `error`, `error.cause`, `error.cause.cause`, ...
 * It stops at a value without a `cause`, at a cause seen before (a cycle) and after
 * `maximumCauseChainLength` links. Works on any value, including plain objects and Temporal failures.
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let link = error;
  while (link !== undefined && link !== null && !chain.includes(link) && chain.length < maximumCauseChainLength) {
    chain.push(link);
    link = typeof link === 'object' ? (link as { cause?: unknown }).cause : undefined;
  }
  return chain;
}

/**
 * The outermost application failure in an error's cause chain: under a client's `WorkflowFailedError` or a
 * child's `ChildWorkflowFailure`, the failure with the stable `type` and recorded details.
 */
export function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  return causeChain(error).find((link): link is ApplicationFailure => link instanceof ApplicationFailure);
}
