/**
 * The tickets of a rate limit of `ratePerSecond` starts: a window of at least a second holds that many
 * tickets (at least one). The window opens when its first ticket is taken; whoever opens it refills it
 * once the window has passed, so nothing waits on a clock while nothing starts.
 */
export class TicketWindow {
  /** How long a window lasts, in milliseconds. */
  readonly windowMs: number;
  /** Tickets a full window holds. */
  readonly ticketsPerWindow: number;
  private tickets: number;
  private open = false;

  constructor(ratePerSecond: number) {
    if (!(ratePerSecond > 0)) throw new RangeError('TicketWindow ratePerSecond must be a positive number');
    this.windowMs = Math.max(1000, 1000 / ratePerSecond);
    this.ticketsPerWindow = Math.max(1, Math.floor((ratePerSecond * this.windowMs) / 1000));
    this.tickets = this.ticketsPerWindow;
  }

  /** Tickets left in the current window. */
  get available(): number {
    return this.tickets;
  }

  /**
   * Takes a ticket. Returns true when this ticket opened the window: the caller then refills it once
   * `windowMs` has passed.
   */
  take(): boolean {
    if (this.tickets <= 0) throw new RangeError('TicketWindow has no ticket left: wait until one is available');
    this.tickets -= 1;
    if (this.open) return false;
    this.open = true;
    return true;
  }

  /** The window has passed: it is full again, and the next ticket taken opens a new one. */
  refill(): void {
    this.tickets = this.ticketsPerWindow;
    this.open = false;
  }
}
