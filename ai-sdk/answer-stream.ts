import type {
  LanguageModelV4FinishReason,
  LanguageModelV4ResponseMetadata,
  LanguageModelV4StreamPart,
  LanguageModelV4Usage,
  SharedV4ProviderMetadata,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { textChunks } from '../client/text-chunks';

/** A finished answer, as `answerStream` streams it. */
export interface FinishedAnswer {
  warnings: SharedV4Warning[];
  response: LanguageModelV4ResponseMetadata;
  text: string;
  finishReason: LanguageModelV4FinishReason;
  usage: LanguageModelV4Usage;
  providerMetadata: SharedV4ProviderMetadata;
}

/**
 * A finished answer as an AI SDK stream: `stream-start`, `response-metadata`, one text block of a few
 * `text-delta`s (`textChunks`), and `finish` with the reason, usage and provider metadata. The answer is
 * whole before the stream starts, so a caller never sees text that a later step replaces.
 */
export function answerStream(answer: FinishedAnswer): ReadableStream<LanguageModelV4StreamPart> {
  const id = 'text-0';
  const parts: LanguageModelV4StreamPart[] = [
    { type: 'stream-start', warnings: answer.warnings },
    { type: 'response-metadata', ...answer.response },
    { type: 'text-start', id },
    ...textChunks(answer.text).map((delta): LanguageModelV4StreamPart => ({ type: 'text-delta', id, delta })),
    { type: 'text-end', id },
    {
      type: 'finish',
      finishReason: answer.finishReason,
      usage: answer.usage,
      providerMetadata: answer.providerMetadata,
    },
  ];
  return new ReadableStream<LanguageModelV4StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}
