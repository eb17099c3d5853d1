import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { datasetRowIdPattern, requestIdPattern, type CascadeRequest } from '../../contracts/cascade/cascade-request';
import type { RoutePolicy } from '../../contracts/cascade/route-policy';
import type { RecordedRow } from '../datasets/recorded-row';

/** One dataset row and the cascade request that measures the route on it. */
export interface EvaluationItem {
  row: RecordedRow;
  request: CascadeRequest;
}

const requestIdPrefix = 'eval';
const maximumRequestIdLength = 200;

/**
 * Part of every run key since requests name their dataset row. Runs before that were answered by prompt
 * (a prompt recorded in two rows got the first row's answer for both), so a rerun must not resume them.
 */
const replayByDatasetRow = 'replay-by-dataset-row';

/**
 * A short hash of what an evaluation measures: the dataset file's name, the route policy after model
 * overrides, and the two models. The same evaluation gets the same key, so its request ids repeat and an
 * interrupted run continues where it stopped instead of paying again; anything that changes the answers
 * (a model, a gate, a threshold, a timeout) changes the key.
 *
 * Model `baseUrl`s are left out: the local model server listens on a new port each run, and the
 * endpoint serving a recorded model does not change what it answers.
 */
export function evaluationRunKey(options: { datasetPath: string; policy: RoutePolicy }): string {
  const identity = canonicalJson(
    [
      basename(options.datasetPath),
      options.policy,
      options.policy.cheap.model.model,
      options.policy.flagship.model.model,
      replayByDatasetRow,
    ],
    { omitKeys: ['baseUrl'] },
  );
  return createHash('sha256').update(identity).digest('hex').slice(0, 10);
}

/**
 * The request id of a row in a run: `eval-<runKey>-<row id>`, the row id with every character a request
 * id cannot hold replaced by `_`. When that changed the id, or it had to be shortened, a short hash of
 * the original id is appended so two rows never share a request id.
 */
export function evaluationRequestId(options: { runKey: string; rowId: string }): string {
  const prefix = `${requestIdPrefix}-${options.runKey}-`;
  const sanitised = options.rowId.replace(/[^A-Za-z0-9._:@/-]/g, '_');
  const fits = prefix.length + sanitised.length <= maximumRequestIdLength;
  if (sanitised === options.rowId && fits) return `${prefix}${sanitised}`;
  const disambiguator = `-${createHash('sha256').update(options.rowId).digest('hex').slice(0, 8)}`;
  const room = maximumRequestIdLength - prefix.length - disambiguator.length;
  const requestId = `${prefix}${sanitised.slice(0, room)}${disambiguator}`;
  if (!requestIdPattern.test(requestId))
    throw new Error(`evaluationRequestId: cannot make a request id of row id ${JSON.stringify(options.rowId)}`);
  return requestId;
}

/**
 * One cascade request per row on the route, with `shadowFlagship` so an accepted answer is also sent to
 * the flagship (the evaluation needs the flagship's answer and cost for every item), and `datasetRowId`
 * so the model server replays this row's answers, not those of an earlier row with the same prompt.
 * A row id that cannot travel as an HTTP header (a space, a control character, over 256 characters) is
 * left out, and the server matches that row by its prompt.
 */
export function evaluationRequests(options: {
  rows: readonly RecordedRow[];
  policy: RoutePolicy;
  runKey: string;
}): EvaluationItem[] {
  return options.rows.map((row) => ({
    row,
    request: {
      requestId: evaluationRequestId({ runKey: options.runKey, rowId: row.id }),
      route: options.policy.route,
      messages: row.messages,
      shadowFlagship: true,
      ...(datasetRowIdPattern.test(row.id) ? { datasetRowId: row.id } : {}),
      tags: { feature: 'evaluation', evaluation: options.runKey },
    },
  }));
}

/** JSON with object keys sorted (so key order never changes a hash), leaving out `omitKeys`. */
function canonicalJson(value: unknown, options: { omitKeys: readonly string[] }): string {
  const normalise = (current: unknown): unknown => {
    if (Array.isArray(current)) return current.map(normalise);
    if (current === null || typeof current !== 'object') return current;
    return Object.fromEntries(
      Object.keys(current)
        .filter((key) => !options.omitKeys.includes(key))
        .sort()
        .map((key) => [key, normalise((current as Record<string, unknown>)[key])]),
    );
  };
  return JSON.stringify(normalise(value));
}
