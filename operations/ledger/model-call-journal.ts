/** One attempt of one model-call activity. */
export interface ModelCallKey {
  workflowId: string;
  runId: string;
  activityId: string;
  attempt: number;
}

/**
 * Where each model call is noted when it starts and when the provider answers (with an answer or an
 * error), so that the next attempt of a call that was cut off (a timeout, a killed worker) knows the
 * provider may have billed it. The cost ledger keeps it, next to its rows.
 */
export interface ModelCallJournal {
  started(call: ModelCallKey & { model: string }): Promise<void>;
  /** The provider answered: with a billable answer (`billable`), or with an error it does not bill. */
  answered(call: ModelCallKey & { billable: boolean }): Promise<void>;
  /**
   * Earlier attempts of the same activity whose cost no history records although the provider may have
   * billed them: cut off before an answer, or answered and then lost (the worker died before the
   * attempt completed).
   */
  unrecordedBefore(call: ModelCallKey): Promise<number>;
}
