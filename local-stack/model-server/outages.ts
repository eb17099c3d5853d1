import { z } from 'zod';
import { describeIssues } from '../../contracts/cascade/cascade-request';
import { RefusedRequestError } from '../../http/refused-request';
import { faultStatuses } from './scripted-model-spec';

/**
 * Outages injected into a running server (`POST /admin/outages`), for testing what clients do while a
 * provider is down: every call of the model, whatever its prompt, gets the status (or hangs) until the
 * outage ends (`DELETE /admin/outages`). Calls during an outage are in the call log like any other.
 */
export const outageSchema = z
  .object({
    /** The served model that is down. */
    model: z.string().min(1),
    /** What each call gets. @default 503 */
    status: z.literal(faultStatuses).optional(),
    /** Sent as `Retry-After` with the status. @default none */
    retryAfterSeconds: z.number().int().nonnegative().optional(),
    /** Hold each call open until the client gives up, instead of answering a status. @default false */
    hang: z.boolean().optional(),
  })
  .strict();
export type Outage = z.infer<typeof outageSchema>;

export interface Outages {
  /** Starts (or replaces) the outage of a model. */
  start(outage: Outage): void;
  /** Ends the outage of a model, or every outage when no model is named; tells how many ended. */
  end(model?: string): number;
  /** The model's outage, if it is down. */
  of(model: string): Outage | undefined;
  list(): Outage[];
}

export function createOutages(): Outages {
  const byModel = new Map<string, Outage>();
  return {
    start(outage) {
      byModel.set(outage.model, outage);
    },
    end(model) {
      if (model === undefined) {
        const ended = byModel.size;
        byModel.clear();
        return ended;
      }
      return byModel.delete(model) ? 1 : 0;
    },
    of: (model) => byModel.get(model),
    list: () => [...byModel.values()],
  };
}

/** Reads an outage from an admin request body, refusing one that is malformed or names a model not served. */
export function parseOutage(body: unknown, servedModels: readonly string[]): Outage {
  const parsed = outageSchema.safeParse(body);
  if (!parsed.success)
    throw new RefusedRequestError({ status: 400, message: `invalid outage: ${describeIssues(parsed.error)}` });
  if (!servedModels.includes(parsed.data.model))
    throw new RefusedRequestError({
      status: 400,
      message: `invalid outage: the model "${parsed.data.model}" is not served here; it serves: ${servedModels.join(', ')}`,
    });
  return parsed.data;
}
