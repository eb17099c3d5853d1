import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';

/** What a circuit breaker guards: one model at one provider endpoint. */
export interface CircuitEndpoint {
  provider: string;
  /** The endpoint's base URL; absent for a provider's default one. */
  baseUrl?: string;
  model: string;
}

/**
 * A call refused because its endpoint's circuit is open (or its one probe is out): nothing was sent.
 * Not retryable, so the activity does not sleep before a retry; the tier moves to its next model.
 */
export class CircuitOpenError extends CascadeError<typeof failureTypes.circuitOpen> {
  constructor(options: { endpoint: CircuitEndpoint; why: string; probeAtMs: number | undefined }) {
    const { endpoint } = options;
    const where = endpoint.baseUrl ? ` at ${endpoint.baseUrl}` : '';
    const probe =
      options.probeAtMs === undefined
        ? ''
        : `; the next probe is let through in ${Math.max(0, Math.ceil((options.probeAtMs - Date.now()) / 1000))} s`;
    super({
      type: failureTypes.circuitOpen,
      message: `${endpoint.provider} model ${endpoint.model}${where}: call refused without a request: the circuit is open (${options.why})${probe}`,
      nonRetryable: true,
      details: {
        provider: endpoint.provider,
        model: endpoint.model,
        ...(endpoint.baseUrl ? { baseUrl: endpoint.baseUrl } : {}),
        ...(options.probeAtMs === undefined ? {} : { probeAt: new Date(options.probeAtMs).toISOString() }),
      },
    });
    this.name = 'CircuitOpenError';
  }
}
