import {
  InvalidPromptError,
  UnsupportedFunctionalityError,
  type LanguageModelV4Message,
  type LanguageModelV4Prompt,
} from '@ai-sdk/provider';
import type { ChatMessage } from '../contracts/cascade/chat-message';

/**
 * The chat a cascade runs for an AI SDK prompt: system, user and assistant messages of text, each message's
 * text parts joined. A cascade answers with text and calls no tools, so a tool message, a tool call or
 * result, a file or image, and reasoning parts throw `UnsupportedFunctionalityError` naming the part and
 * where it is; an empty prompt, or one that does not end with a user message, throws `InvalidPromptError`.
 */
export function chatMessagesOf(prompt: LanguageModelV4Prompt): ChatMessage[] {
  if (prompt.length === 0) throw new InvalidPromptError({ prompt, message: 'the prompt has no message' });
  const messages = prompt.map((message, index) => chatMessageOf(message, index));
  const last = messages[messages.length - 1]!;
  if (last.role !== 'user')
    throw new InvalidPromptError({
      prompt,
      message: `the prompt ends with a ${last.role} message; a cascade answers the last message, which must be the user's`,
    });
  return messages;
}

function chatMessageOf(message: LanguageModelV4Message, index: number): ChatMessage {
  const where = `prompt[${index}]`;
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
    case 'assistant': {
      const texts = message.content.map((part, partIndex) => {
        if (part.type === 'text') return part.text;
        throw unsupportedPart({ part, where: `${where}.content[${partIndex}]`, role: message.role });
      });
      return { role: message.role, content: texts.join('') };
    }
    default:
      throw new UnsupportedFunctionalityError({
        functionality: `${message.role} messages`,
        message: `${where} is a ${message.role} message: a cascade takes system, user and assistant messages of text`,
      });
  }
}

/** The part kinds a cascade cannot take, as `functionality` names them. */
const unsupportedPartNames: Record<string, string> = {
  file: 'file parts (images, documents, audio)',
  'tool-call': 'tool calls',
  'tool-result': 'tool results',
  reasoning: 'reasoning parts',
  'reasoning-file': 'reasoning file parts',
  custom: 'provider-specific parts',
};

function unsupportedPart(options: {
  part: { type: string; mediaType?: string };
  where: string;
  role: string;
}): UnsupportedFunctionalityError {
  const { part } = options;
  const functionality = unsupportedPartNames[part.type] ?? `${part.type} parts`;
  const mediaType = part.mediaType ? ` (${part.mediaType})` : '';
  return new UnsupportedFunctionalityError({
    functionality,
    message: `${options.where} is a ${part.type} part${mediaType} of a ${options.role} message: a cascade takes text parts only`,
  });
}
