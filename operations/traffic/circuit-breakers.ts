import {
  BrokenCircuitError,
  CircuitState,
  SamplingBreaker,
  circuitBreaker,
  handleType,
  type CircuitBreakerPolicy,
} from 'cockatiel';
import type { CircuitBreakerSettings } from '../../config/circuit-breaker-section';
import { CircuitOpenError, type CircuitEndpoint } from '../../models/providers/circuit-open-error';

export { CircuitOpenError, type CircuitEndpoint } from '../../models/providers/circuit-open-error';

/** A circuit's state as logs and metrics name it. */
export type CircuitStateName = 'closed' | 'open' | 'half_open';

/** One change of a circuit's state, for the worker's log and metrics. */
export interface CircuitStateChange {
  endpoint: CircuitEndpoint;
  from: CircuitStateName;
  to: CircuitStateName;
  /** Calls and failures in the window when it opened from closed. */
  window?: { calls: number; failures: number };
}

/** A circuit as `CircuitBreakers.states()` lists it. */
export interface CircuitSnapshot {
  endpoint: CircuitEndpoint;
  state: CircuitStateName;
  /** When an open circuit lets its next probe through (epoch ms). */
  probeAtMs?: number;
}

/** An open circuit another worker published. */
export interface SharedOpenCircuit {
  /** When the other worker's cooldown ends (epoch ms). */
  openUntilMs: number;
  /** The worker that found the endpoint failing. */
  openedBy: string;
}

/**
 * Where the workers of a deployment share their open circuits (`PostgresCircuitStore`): each worker still
 * counts its own calls; a circuit one of them opens is refused by all until its cooldown ends or its
 * probe closes it.
 */
export interface SharedCircuitStore {
  /** The endpoint's circuit as another worker left it open, from the store's last read; never blocks. */
  openElsewhere(endpoint: CircuitEndpoint, self: string): SharedOpenCircuit | undefined;
  /** Publishes this worker's opening of a circuit, until `openUntilMs`. */
  opened(endpoint: CircuitEndpoint, options: { openUntilMs: number; openedBy: string }): Promise<void>;
  /** Withdraws this worker's opening (its probe was answered). */
  closed(endpoint: CircuitEndpoint, options: { openedBy: string }): Promise<void>;
}

export interface CircuitBreakersOptions {
  settings: CircuitBreakerSettings;
  /** Told of every state change, after it happened. @default none */
  onStateChange?: (change: CircuitStateChange) => void;
  /** Shares open circuits with the deployment's other workers. @default none: this worker's calls only */
  shared?: SharedCircuitStore;
  /** Names this worker in the shared store. @default `<pid>@<random>` */
  identity?: string;
  /** Told when the shared store cannot be written; the local breaker works on. @default none */
  onSharedStoreError?: (error: unknown) => void;
}

/** A failure the breaker counts, wrapped so a call decides per call what counts (never a cancellation). */
class CountedFailure extends Error {
  constructor(readonly original: unknown) {
    super('counted failure');
  }
}

interface Circuit {
  endpoint: CircuitEndpoint;
  policy: CircuitBreakerPolicy;
  breaker: SamplingBreaker;
  openedAtMs?: number;
}

/**
 * The circuit breakers of one worker: one per provider endpoint and model (cockatiel's sampling breaker),
 * shared by every call the worker makes. A call through an open circuit, or while its one probe is out,
 * is refused at once with `CircuitOpenError`: no provider request, and, being non-retryable, no retry
 * sleep. Only what `counts` says is a failure of the endpoint (5xx, timeouts, connection errors, 429)
 * counts against it; a rejected request or a cancelled call counts neither way.
 */
export class CircuitBreakers {
  private readonly circuits = new Map<string, Circuit>();
  /** This worker's name in the shared store. */
  readonly identity: string;

  constructor(private readonly options: CircuitBreakersOptions) {
    this.identity = options.identity ?? `${process.pid}@${Math.random().toString(36).slice(2, 10)}`;
  }

  get settings(): CircuitBreakerSettings {
    return this.options.settings;
  }

  /** Runs one call through its endpoint's circuit. */
  async call<Value>(
    endpoint: CircuitEndpoint,
    run: () => Promise<Value>,
    counts: (error: unknown) => boolean,
  ): Promise<Value> {
    const circuit = this.circuitOf(endpoint);
    // Cockatiel queues calls behind a half-open circuit's probe; refusing them keeps the no-sleep promise.
    if (circuit.policy.state === CircuitState.HalfOpen) throw this.refusal(circuit, 'its probe is in flight');
    if (circuit.policy.state === CircuitState.Closed) {
      const elsewhere = this.options.shared?.openElsewhere(endpoint, this.identity);
      if (elsewhere && elsewhere.openUntilMs > Date.now())
        throw new CircuitOpenError({
          endpoint,
          why: `worker ${elsewhere.openedBy} found it failing`,
          probeAtMs: elsewhere.openUntilMs,
        });
    }
    try {
      return await circuit.policy.execute(async () => {
        try {
          return await run();
        } catch (error) {
          throw counts(error) ? new CountedFailure(error) : error;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) throw this.refusal(circuit, 'too many of its calls failed of late');
      if (error instanceof CountedFailure) throw error.original;
      throw error;
    }
  }

  /** Every circuit the worker has used, with its state. */
  states(): CircuitSnapshot[] {
    return [...this.circuits.values()].map((circuit) => {
      const probeAtMs = this.probeAtOf(circuit);
      return {
        endpoint: circuit.endpoint,
        state: stateName(circuit.policy.state),
        ...(probeAtMs === undefined ? {} : { probeAtMs }),
      };
    });
  }

  /** When an open circuit lets its next probe through (epoch ms); `undefined` unless it is open. */
  private probeAtOf(circuit: Circuit): number | undefined {
    return circuit.policy.state === CircuitState.Open && circuit.openedAtMs !== undefined
      ? circuit.openedAtMs + this.settings.cooldownMs
      : undefined;
  }

  private refusal(circuit: Circuit, why: string): CircuitOpenError {
    return new CircuitOpenError({ endpoint: circuit.endpoint, why, probeAtMs: this.probeAtOf(circuit) });
  }

  private circuitOf(endpoint: CircuitEndpoint): Circuit {
    const key = circuitKeyOf(endpoint);
    const existing = this.circuits.get(key);
    if (existing) return existing;
    const { settings } = this.options;
    const breaker = new SamplingBreaker({
      threshold: settings.failureShare,
      duration: settings.windowMs,
      // Cockatiel asks for a rate; over the window it is the minimum number of calls.
      minimumRps: settings.minimumCalls / (settings.windowMs / 1000),
    });
    const policy = circuitBreaker(handleType(CountedFailure), { halfOpenAfter: settings.cooldownMs, breaker });
    const circuit: Circuit = { endpoint, policy, breaker };
    let previous: CircuitStateName = 'closed';
    policy.onStateChange((state) => {
      const to = stateName(state);
      if (to === 'open') circuit.openedAtMs = Date.now();
      const change: CircuitStateChange = { endpoint, from: previous, to };
      if (to === 'open' && previous === 'closed') change.window = windowCounts(breaker);
      previous = to;
      this.options.onStateChange?.(change);
      this.share(change);
    });
    this.circuits.set(key, circuit);
    return circuit;
  }

  /** Publishes an opening or a closing to the shared store, in the background. */
  private share(change: CircuitStateChange): void {
    const shared = this.options.shared;
    if (!shared || change.to === 'half_open') return;
    const written =
      change.to === 'open'
        ? shared.opened(change.endpoint, {
            openUntilMs: Date.now() + this.settings.cooldownMs,
            openedBy: this.identity,
          })
        : shared.closed(change.endpoint, { openedBy: this.identity });
    written.catch((error: unknown) => this.options.onSharedStoreError?.(error));
  }
}

/** One circuit per provider, endpoint and model: its key, in this worker and in a shared store. */
export function circuitKeyOf(endpoint: CircuitEndpoint): string {
  return JSON.stringify([endpoint.provider, endpoint.baseUrl ?? null, endpoint.model]);
}

function stateName(state: CircuitState): CircuitStateName {
  if (state === CircuitState.Closed) return 'closed';
  if (state === CircuitState.HalfOpen) return 'half_open';
  return 'open';
}

/** The calls and failures of the breaker's window, from its serialisable state. */
function windowCounts(breaker: SamplingBreaker): { calls: number; failures: number } {
  const state = breaker.state as { currentFailures: number; currentSuccesses: number };
  return { calls: state.currentFailures + state.currentSuccesses, failures: state.currentFailures };
}
