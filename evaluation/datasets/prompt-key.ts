import { createHash } from 'node:crypto';

/** A chat message as far as prompt matching cares: who said it and what. */
export interface PromptMessage {
  role: string;
  content: string;
}

/**
 * A stable key of a prompt: the sha256 (hex) of the ordered role and content of its messages.
 * Two prompts share a key exactly when they have the same messages in the same order; any other
 * field of a message is ignored. Used to match a live request to a recorded dataset row.
 */
export function promptKey(messages: readonly PromptMessage[]): string {
  // A JSON array of [role, content] pairs cannot be ambiguous, whatever the content holds.
  const canonical = JSON.stringify(messages.map((message) => [message.role, message.content]));
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
