import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4GenerateResult,
  LanguageModelV4Prompt,
  LanguageModelV4StreamResult,
  SharedV4Warning,
} from '@ai-sdk/provider';
import { randomUUID } from 'node:crypto';
import type { CascadeClient } from '../client/cascade-client';
import { cascadeSummaryOf, workflowWebUiUrl, type CascadeSummary } from '../client/cascade-summary';
import { workflowIdOf, type CascadeRequest } from '../contracts/cascade/cascade-request';
import type { CascadeResult } from '../contracts/cascade/cascade-result';
import { answerStream } from './answer-stream';
import { awaitCascadeResult } from '../client/await-cascade-result';
import { cascadeCallOf } from './cascade-call';
import { finishReasonOf, providerMetadataOf, usageOf } from './cascade-result-mapping';
import { providerErrorOf } from './provider-errors';

export interface CascadeLanguageModelOptions {
  /** The route whose cascade answers; the model's `modelId`. */
  route: string;
  /** The client that starts cascades, asked once per call (a provider that connects itself does so on the first). */
  client: () => Promise<CascadeClient>;
  /** The Temporal Web UI's address, to link each workflow in `providerMetadata.cascade.webUiUrl`. @default no link */
  webUiUrl?: string;
  /** The namespace of the link and of the `temporal://` addresses in results and errors. @default the client's */
  namespace?: string;
  /**
   * How long a call waits for its cascade's answer before it fails with a retryable `CascadeWaitTimeout`; the
   * cascade goes on, and a call under the same request id joins it. @default no limit
   */
  requestTimeoutMs?: number;
  /** The request id of a call that names none. @default `ai-sdk-<uuid>` */
  generateRequestId?: () => string;
}

/** A call's cascade, run to its end. */
interface FinishedCascade {
  request: CascadeRequest;
  warnings: SharedV4Warning[];
  /** The cascade's address, `temporal://<namespace>/<workflowId>`. */
  url: string;
  result: CascadeResult;
  summary: CascadeSummary;
  /** When the answer came. */
  timestamp: Date;
}

/**
 * An AI SDK language model whose every call is a durable cascade on a route: the cheap model answers, the
 * route's gate checks it, a rejected answer escalates once to the flagship, and the call returns the answer
 * the gate let through with `providerMetadata.cascade` (outcome, escalation reason, cost against the
 * flagship alone, workflow id). `usage` counts every call the cascade was billed for.
 *
 * Idempotent by request id (`providerOptions.cascade.requestId`, the `Idempotency-Key` or `X-Request-Id`
 * header): a call under the id of a cascade already started joins it and is not billed again. A call that
 * names no id gets a fresh one per prompt, so the AI SDK's own retry of the call (it passes the same prompt)
 * joins the cascade the first attempt started. Aborting a call, or its `requestTimeoutMs` running out, stops
 * the wait and never the cascade.
 *
 * `doStream` streams the answer once the cascade has ended: the gate decides before anything is streamed,
 * so a caller never sees a cheap answer that the flagship's later replaces.
 */
export class CascadeLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'cascade';
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]> = {};
  private readonly options: CascadeLanguageModelOptions;
  private readonly generatedRequestIds = new WeakMap<LanguageModelV4Prompt, string>();

  constructor(options: CascadeLanguageModelOptions) {
    this.options = options;
    this.modelId = options.route;
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const finished = await this.runCascade(options);
    const { result } = finished;
    return {
      content: [{ type: 'text', text: result.answer.text }],
      finishReason: finishReasonOf(result.answer),
      usage: usageOf(result),
      providerMetadata: providerMetadataOf(finished.summary),
      request: { url: finished.url, body: finished.request },
      response: { id: finished.summary.workflowId, modelId: result.answer.model, timestamp: finished.timestamp },
      warnings: finished.warnings,
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const finished = await this.runCascade(options);
    const { result } = finished;
    return {
      stream: answerStream({
        warnings: finished.warnings,
        response: { id: finished.summary.workflowId, modelId: result.answer.model, timestamp: finished.timestamp },
        text: result.answer.text,
        finishReason: finishReasonOf(result.answer),
        usage: usageOf(result),
        providerMetadata: providerMetadataOf(finished.summary),
      }),
      request: { url: finished.url, body: finished.request },
    };
  }

  /** Starts (or joins) the call's cascade and awaits its answer; its errors as `providerErrorOf` maps them. */
  private async runCascade(call: LanguageModelV4CallOptions): Promise<FinishedCascade> {
    const { request, warnings } = cascadeCallOf({
      route: this.modelId,
      call,
      generateRequestId: () => this.generatedRequestIdOf(call.prompt),
    });
    const workflowId = workflowIdOf(request.requestId);
    let namespace = this.options.namespace;
    try {
      call.abortSignal?.throwIfAborted();
      const client = await this.options.client();
      namespace ??= client.temporal.options.namespace;
      const started = await client.start(request);
      const result = await awaitCascadeResult({
        client,
        workflowId: started.workflowId,
        abortSignal: call.abortSignal,
        timeoutMs: this.options.requestTimeoutMs,
      });
      const webUiUrl = workflowWebUiUrl({ uiUrl: this.options.webUiUrl, namespace, workflowId: started.workflowId });
      return {
        request,
        warnings,
        url: cascadeUrl(namespace, started.workflowId),
        result,
        summary: cascadeSummaryOf(result, { workflowId: started.workflowId, existing: started.existing, webUiUrl }),
        timestamp: new Date(),
      };
    } catch (error) {
      throw providerErrorOf(error, { url: cascadeUrl(namespace ?? 'default', workflowId), request, workflowId });
    }
  }

  private generatedRequestIdOf(prompt: LanguageModelV4Prompt): string {
    let requestId = this.generatedRequestIds.get(prompt);
    if (requestId === undefined) {
      requestId = this.options.generateRequestId?.() ?? `ai-sdk-${randomUUID()}`;
      this.generatedRequestIds.set(prompt, requestId);
    }
    return requestId;
  }
}

/** Where a cascade lives, as the `url` of AI SDK results and errors. */
export function cascadeUrl(namespace: string, workflowId: string): string {
  return `temporal://${encodeURIComponent(namespace)}/${encodeURIComponent(workflowId)}`;
}
