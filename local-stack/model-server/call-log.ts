/** One chat completion call the server received. */
export interface CallLogEntry {
  /** The model the request named; `''` when the body named none. */
  model: string;
  /** The HTTP status answered; `null` for a call held open by a hang fault. */
  status: number | null;
  /** `promptKey` of the request's messages; `null` when the body could not be read. */
  promptKey: string | null;
  /** The row the call named in its `X-Cascade-Dataset-Row` header; absent when it sent none. */
  datasetRowId?: string;
  /** When the call arrived, ISO 8601. */
  at: string;
}

/** The counts `GET /admin/calls` and `callCounts()` report. */
export interface CallCounts {
  /** Every chat completion call received since the start or the last reset, answered or not. */
  total: number;
  /** The same calls by the model they named. */
  byModel: Record<string, number>;
  /** The calls in the order they were answered (or held open); the oldest are dropped past the log limit, the counts stay exact. */
  log: CallLogEntry[];
}

export interface CallLog {
  record(entry: CallLogEntry): void;
  counts(): CallCounts;
  reset(): void;
}

export function createCallLog(options: { limit: number }): CallLog {
  let total = 0;
  let byModel = new Map<string, number>();
  let log: CallLogEntry[] = [];
  return {
    record(entry) {
      total += 1;
      byModel.set(entry.model, (byModel.get(entry.model) ?? 0) + 1);
      log.push(entry);
      if (log.length > options.limit) log.splice(0, log.length - options.limit);
    },
    counts() {
      return { total, byModel: Object.fromEntries(byModel), log: log.map((entry) => ({ ...entry })) };
    },
    reset() {
      total = 0;
      byModel = new Map();
      log = [];
    },
  };
}
