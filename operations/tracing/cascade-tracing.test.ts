import { trace } from '@opentelemetry/api';
import { tracingFromEnvironment } from './cascade-tracing';

const options = { serviceName: 'test' };

describe('tracingFromEnvironment', () => {
  it('traces nothing unless an OTLP endpoint is set, and nothing when the SDK or the traces exporter is off', () => {
    expect(tracingFromEnvironment({}, options)).toBeUndefined();
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(tracingFromEnvironment({ ...endpoint, OTEL_SDK_DISABLED: 'true' }, options)).toBeUndefined();
    expect(tracingFromEnvironment({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }, options)).toBeUndefined();
  });

  it('names what it cannot take: another protocol, an endpoint that is not a URL', () => {
    expect(() =>
      tracingFromEnvironment(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
        options,
      ),
    ).toThrow('OTEL_EXPORTER_OTLP_PROTOCOL "grpc" is not supported');
    expect(() =>
      tracingFromEnvironment(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
        options,
      ),
    ).toThrow('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL "http/json" is not supported');
    expect(() => tracingFromEnvironment({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' }, options)).toThrow(
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT "collector:4318" is not an http(s) URL',
    );
  });

  it('registers a tracer provider whose spans record, until it shuts down, even with no collector to take them', async () => {
    const tracing = tracingFromEnvironment({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9/' }, options);
    expect(tracing).toBeDefined();
    const span = trace.getTracer('test').startSpan('probe');
    expect(span.isRecording()).toBe(true);
    span.end();
    await tracing!.shutdown();
    expect(trace.getTracer('test').startSpan('after').isRecording()).toBe(false);
  });
});
