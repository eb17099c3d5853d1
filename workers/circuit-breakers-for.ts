import type pino from 'pino';
import type { CircuitBreakerSettings } from '../config/circuit-breaker-section';
import type { CascadeMetrics } from '../operations/metrics/cascade-metrics';
import {
  CircuitBreakers,
  type CircuitStateChange,
  type SharedCircuitStore,
} from '../operations/traffic/circuit-breakers';

/**
 * A worker's circuit breakers under its routes' `circuitBreaker` settings, each change of state logged
 * (a warning when a circuit opens, info otherwise) and counted; `undefined` without settings.
 */
export function circuitBreakersFor(options: {
  settings: CircuitBreakerSettings | undefined;
  logger: pino.Logger;
  metrics?: CascadeMetrics;
  /** Where open circuits are shared with the other workers (`settings.shared`). @default none */
  shared?: SharedCircuitStore;
}): CircuitBreakers | undefined {
  const { settings, logger, metrics } = options;
  if (!settings) return undefined;
  return new CircuitBreakers({
    settings,
    ...(options.shared ? { shared: options.shared } : {}),
    onSharedStoreError: (error) =>
      logger.warn({ error: error instanceof Error ? error.message : String(error) }, 'shared circuit not written'),
    onStateChange(change: CircuitStateChange) {
      const fields = {
        provider: change.endpoint.provider,
        model: change.endpoint.model,
        ...(change.endpoint.baseUrl ? { baseUrl: change.endpoint.baseUrl } : {}),
        from: change.from,
        to: change.to,
        ...(change.window ? { windowCalls: change.window.calls, windowFailures: change.window.failures } : {}),
      };
      const message =
        change.to === 'open'
          ? `circuit opened: calls are refused for ${settings.cooldownMs} ms`
          : change.to === 'half_open'
            ? 'circuit half open: one probe call is let through'
            : 'circuit closed: the probe was answered';
      if (change.to === 'open') logger.warn(fields, message);
      else logger.info(fields, message);
      metrics?.recordCircuitStateChange({
        provider: change.endpoint.provider,
        model: change.endpoint.model,
        state: change.to,
      });
    },
  });
}
