import { z } from 'zod';
import { chatMessageSchema } from './chat-message';
import { routePolicySchema } from './route-policy';

/** The workflow type and task queue other Temporal clients use to start a cascade. */
export const cascadeWorkflowType = 'cascade';
export const defaultTaskQueue = 'cascade';

/** The workflow id of a request: one request id, one execution. */
export function workflowIdOf(requestId: string): string {
  return `cascade-${requestId}`;
}

const tagValueSchema = z.string().max(256);

export const requestIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;

/** 1 to 256 printable ASCII characters, no space: what can travel as an HTTP header value unchanged. */
export const datasetRowIdPattern = /^[\x21-\x7E]{1,256}$/;

/** The HTTP header that carries `datasetRowId` to the model endpoint (lower case, as Node reads it). */
export const datasetRowHeader = 'x-cascade-dataset-row';

/**
 * One request to a cascade. Plain JSON, validated at the client and again by the workflow, so a
 * request started by any Temporal client is checked the same way.
 */
export const cascadeRequestSchema = z
  .object({
    /** The caller's id for this request; the workflow id derives from it, so a repeat is not billed twice. */
    requestId: z
      .string()
      .regex(
        requestIdPattern,
        'must be 1 to 200 characters of letters, digits and . _ : @ / -, starting with a letter or digit',
      ),
    /** The route that decides which models and gate serve the request. */
    route: z.string().min(1).max(100),
    /** The chat, at least one message, the last from the user. */
    messages: z
      .array(chatMessageSchema)
      .min(1)
      .refine((messages) => messages[messages.length - 1]?.role === 'user', 'must end with a user message'),
    /**
     * Sampling temperature of the cheap and flagship answers, over the route's; a self-consistency
     * gate's extra samples keep the gate's own. @default the route's
     */
    temperature: z.number().min(0).max(2).optional(),
    /**
     * Upper bound of generated tokens of the cheap and flagship calls (a self-consistency gate's samples
     * included, a judge's not); the route's `maxOutputTokens`, when it sets one, stays the ceiling.
     * @default the route's
     */
    maxOutputTokens: z.number().int().positive().max(1_000_000).optional(),
    /** A JSON Schema the answer must match; checked by the route's `json-schema` gate. */
    outputSchema: z.record(z.string(), z.unknown()).optional(),
    /**
     * Also ask the flagship when the cheap answer is accepted, and report its answer as `shadow`, for
     * measuring a cascade against the flagship on the same traffic. It costs a flagship call.
     * @default false
     */
    shadowFlagship: z.boolean().optional(),
    /**
     * The id of the replay-dataset row this request re-asks. Every model call of the request sends it
     * to the model endpoint as the HTTP header `X-Cascade-Dataset-Row`, so a replaying server (the local
     * model server) answers with that row's recorded answer even when another row has the same prompt;
     * real providers ignore the header. Evaluations (`cascade analyze`, `cascade tune`) set it.
     * @default none: a replaying server matches the request by its prompt
     */
    datasetRowId: z
      .string()
      .regex(
        datasetRowIdPattern,
        'must be 1 to 256 printable ASCII characters without spaces or control characters (it is sent as an HTTP header)',
      )
      .optional(),
    /** Cost attribution: `customer`, `feature`, and any other key. */
    tags: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'tag names are 1 to 64 letters, digits, _ . or -'),
        tagValueSchema,
      )
      .optional(),
  })
  .strict();
export type CascadeRequest = z.infer<typeof cascadeRequestSchema>;

/** What the workflow receives: the request, plus the resolved route policy when the starter has it. */
export const cascadeWorkflowInputSchema = cascadeRequestSchema
  .extend({
    /** The route's resolved policy. Without it the worker resolves the route and records the policy. */
    policy: routePolicySchema.optional(),
  })
  .strict()
  .refine((input) => !input.policy || input.policy.route === input.route, {
    path: ['policy', 'route'],
    message: 'must equal the request route',
  });
export type CascadeWorkflowInput = z.infer<typeof cascadeWorkflowInputSchema>;

/** Renders zod issues as one line that names each bad field. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}
