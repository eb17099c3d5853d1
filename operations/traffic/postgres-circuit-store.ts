import type { Pool } from 'pg';
import type { CircuitEndpoint } from '../../models/providers/circuit-open-error';
import { circuitKeyOf, type SharedCircuitStore, type SharedOpenCircuit } from './circuit-breakers';

interface OpenCircuitRow {
  endpoint: string;
  open_until: Date;
  opened_by: string;
}

/**
 * Open circuits shared by the workers of one cost ledger's database, in `<ledger table>_circuits`
 * (created with the ledger's schema). A worker whose breaker opens writes the endpoint with the time its
 * cooldown ends; every worker reads the open ones every `refreshMs` and refuses calls to them until then,
 * or until the worker that opened one closes it on an answered probe. Each worker still counts its own
 * calls; only the verdict is shared. A read that fails keeps the last one (each worker's own breakers
 * work on regardless).
 */
export class PostgresCircuitStore implements SharedCircuitStore {
  private open = new Map<string, SharedOpenCircuit>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private readonly refreshMs: number;

  constructor(
    private readonly options: {
      pool: Pool;
      /** The ledger table; the circuits are in `<table>_circuits`. */
      table: string;
      /** How often the open circuits are read. @default 1000 */
      refreshMs?: number;
      /** Told when a read fails. @default none */
      onError?: (error: unknown) => void;
    },
  ) {
    this.refreshMs = options.refreshMs ?? 1_000;
  }

  /** Reads the open circuits now, then every `refreshMs` until `stop()`. */
  async start(): Promise<void> {
    await this.refresh();
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh(), this.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.refreshing;
  }

  openElsewhere(endpoint: CircuitEndpoint, self: string): SharedOpenCircuit | undefined {
    const open = this.open.get(circuitKeyOf(endpoint));
    return open && open.openedBy !== self && open.openUntilMs > Date.now() ? open : undefined;
  }

  async opened(endpoint: CircuitEndpoint, options: { openUntilMs: number; openedBy: string }): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO ${this.options.table}_circuits (endpoint, provider, base_url, model, open_until, opened_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (endpoint) DO UPDATE
         SET open_until = GREATEST(${this.options.table}_circuits.open_until, EXCLUDED.open_until),
             opened_by = EXCLUDED.opened_by, updated_at = now()`,
      [
        circuitKeyOf(endpoint),
        endpoint.provider,
        endpoint.baseUrl ?? '',
        endpoint.model,
        new Date(options.openUntilMs),
        options.openedBy,
      ],
    );
  }

  async closed(endpoint: CircuitEndpoint, options: { openedBy: string }): Promise<void> {
    // Only its own opening: another worker that opened it since keeps it open.
    await this.options.pool.query(`DELETE FROM ${this.options.table}_circuits WHERE endpoint = $1 AND opened_by = $2`, [
      circuitKeyOf(endpoint),
      options.openedBy,
    ]);
    this.open.delete(circuitKeyOf(endpoint));
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.options.pool
      .query<OpenCircuitRow>(
        `SELECT endpoint, open_until, opened_by FROM ${this.options.table}_circuits WHERE open_until > now()`,
      )
      .then(
        (result) => {
          this.open = new Map(
            result.rows.map((row) => [
              row.endpoint,
              { openUntilMs: row.open_until.getTime(), openedBy: row.opened_by },
            ]),
          );
        },
        (error: unknown) => this.options.onError?.(error),
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}
