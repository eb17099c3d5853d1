import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The HTTP API's Prometheus metrics: requests by route (a route the API serves, else `other`), status and
 * caller (a configured caller's name, bounded by the routes file), and their duration.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter;
  private readonly duration: Histogram;

  /** `processMetrics`: also the process's own (`process_*`, `nodejs_*`), for a process that serves the API alone. */
  constructor(options: { processMetrics?: boolean } = {}) {
    this.requests = new Counter({
      name: 'cascade_api_requests_total',
      help: 'Requests to the OpenAI-compatible API, by route, HTTP status and caller.',
      labelNames: ['route', 'status', 'caller'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'cascade_api_request_duration_seconds',
      help: 'Time from a request to its answer (the whole cascade included), by route and HTTP status.',
      labelNames: ['route', 'status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300],
      registers: [this.registry],
    });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  recordRequest(request: { route: string; status: number; caller: string; durationSeconds: number }): void {
    const status = String(request.status);
    this.requests.inc({ route: request.route, status, caller: request.caller });
    this.duration.observe({ route: request.route, status }, request.durationSeconds);
  }
}
