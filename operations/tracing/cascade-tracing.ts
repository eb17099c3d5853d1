import { trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { envDetectorSync, Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OpenTelemetryPlugin } from '@temporalio/interceptors-opentelemetry';
import { ConfigurationError } from '../../config/configuration-error';
import { cascadeTracerName } from './span-attributes';

/**
 * Traces of cascades: Temporal's OpenTelemetry interceptors on the client, the workflow and the activities
 * (through `plugin`, for `Client` and `Worker` options), and a tracer provider registered for the process,
 * so the spans the activities add (a model call with its GenAI attributes, the gate's verdict) are children
 * of the activity's span and reach the same processor.
 */
export interface CascadeTracing {
  /** Give it to `new Client({ plugins })` and `Worker.create({ plugins })`. */
  readonly plugin: OpenTelemetryPlugin;
  readonly tracer: Tracer;
  /** Exports the spans that have ended and are still buffered. */
  forceFlush(): Promise<void>;
  /**
   * Exports what is buffered and stops; call it once the worker and the clients are done. It resolves even when
   * the spans cannot be delivered.
   */
  shutdown(): Promise<void>;
}

/**
 * Tracing into `spanProcessor` (a `BatchSpanProcessor` of an OTLP exporter, or a `SimpleSpanProcessor` of an
 * in-memory exporter in tests), with the resource of the standard `OTEL_SERVICE_NAME` and
 * `OTEL_RESOURCE_ATTRIBUTES`, the service named `serviceName` when they name none. The tracer provider is
 * registered for the whole process: one tracing per process.
 */
export function createCascadeTracing(options: { spanProcessor: SpanProcessor; serviceName: string }): CascadeTracing {
  const detected = envDetectorSync.detect();
  const resource = Resource.default()
    .merge(new Resource({ 'service.name': options.serviceName }))
    .merge(detected);
  const provider = new NodeTracerProvider({ resource, spanProcessors: [options.spanProcessor] });
  provider.register();
  const tracer = trace.getTracer(cascadeTracerName);
  return {
    plugin: new OpenTelemetryPlugin({ resource, spanProcessor: options.spanProcessor }),
    tracer,
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      // Spans a collector that is down cannot take are lost; that must not fail the process's stop.
      await provider.shutdown().catch(() => undefined);
      trace.disable();
    },
  };
}

/**
 * Tracing by the standard OpenTelemetry variables: spans go by OTLP (HTTP, protobuf) to
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or `OTEL_EXPORTER_OTLP_ENDPOINT` (with `OTEL_EXPORTER_OTLP_HEADERS`
 * and the other `OTEL_EXPORTER_OTLP_*` settings the exporter reads). `undefined`, and no tracing, when
 * neither endpoint is set, when `OTEL_SDK_DISABLED` is `true` or `OTEL_TRACES_EXPORTER` is `none`.
 */
export function tracingFromEnvironment(
  environment: Record<string, string | undefined>,
  options: { serviceName: string },
): CascadeTracing | undefined {
  const tracesEndpoint = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const endpoint = tracesEndpoint || environment.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  if (environment.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const exporters = (environment.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((name) => name.trim());
  if (exporters.includes('none')) return undefined;
  const protocolVariable = environment.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = environment[protocolVariable] || 'http/protobuf';
  if (protocol !== 'http/protobuf') {
    throw new ConfigurationError({
      message: `${protocolVariable} "${protocol}" is not supported: traces are exported as http/protobuf (an OpenTelemetry Collector takes it on port 4318)`,
    });
  }
  const variable = tracesEndpoint ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  // The traces endpoint is used as it is; the general one is the base of `/v1/traces`, as the specification says.
  const url = URL.canParse(endpoint)
    ? new URL(tracesEndpoint ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`)
    : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ConfigurationError({
      message: `${variable} "${endpoint}" is not an http(s) URL (for example http://127.0.0.1:4318)`,
    });
  }
  return createCascadeTracing({
    spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter({ url: url.href })),
    serviceName: options.serviceName,
  });
}
