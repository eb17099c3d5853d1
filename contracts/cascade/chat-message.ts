import { z } from 'zod';

/** One message of a chat request, as every provider takes it. */
export const chatMessageSchema = z
  .object({
    role: z.enum(['system', 'user', 'assistant']),
    content: z.string(),
  })
  .strict();
export type ChatMessage = z.infer<typeof chatMessageSchema>;
