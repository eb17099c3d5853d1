import { cascadeRequestSchema } from '../../../contracts/cascade/cascade-request';

const requestIdSchema = cascadeRequestSchema.shape.requestId;

/** A stored row's request id, or why it has none a cascade would accept. */
export type StoredRequestId = { requestId: string; reason?: undefined } | { requestId?: undefined; reason: string };

/** Whether a stored row is a JSON object (not an array, not null), the only shape a cascade request can have. */
export function isJsonObject(row: unknown): row is Record<string, unknown> {
  return typeof row === 'object' && row !== null && !Array.isArray(row);
}

/**
 * Reads the `requestId` of a stored JSON object by the cascade's own rule (`ticket-42`: 1 to 200
 * letters, digits and . _ : @ / -), so a source never hands on an id the cascade would refuse.
 */
export function readStoredRequestId(row: Record<string, unknown>): StoredRequestId {
  if (!('requestId' in row) || row.requestId === undefined) return { reason: 'no requestId' };
  const parsed = requestIdSchema.safeParse(row.requestId);
  if (!parsed.success) return { reason: `requestId ${parsed.error.issues.map((issue) => issue.message).join('; ')}` };
  return { requestId: parsed.data };
}
