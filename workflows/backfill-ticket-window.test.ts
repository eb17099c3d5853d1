import { TicketWindow } from './backfill-ticket-window';

describe('TicketWindow', () => {
  it('holds a second of tickets at a rate of one or more per second', () => {
    expect(new TicketWindow(20)).toMatchObject({ windowMs: 1000, ticketsPerWindow: 20, available: 20 });
    expect(new TicketWindow(2.5)).toMatchObject({ windowMs: 1000, ticketsPerWindow: 2 });
  });

  it('stretches the window to hold one ticket at a rate below one per second', () => {
    expect(new TicketWindow(0.25)).toMatchObject({ windowMs: 4000, ticketsPerWindow: 1, available: 1 });
  });

  it('opens the window with its first ticket only, and opens a new one after a refill', () => {
    const window = new TicketWindow(3);
    expect([window.take(), window.take(), window.take()]).toEqual([true, false, false]);
    expect(window.available).toBe(0);
    window.refill();
    expect(window.available).toBe(3);
    expect(window.take()).toBe(true);
    expect(window.available).toBe(2);
  });

  it('refuses a ticket when the window is empty', () => {
    const window = new TicketWindow(1);
    window.take();
    expect(() => window.take()).toThrow('TicketWindow has no ticket left');
    expect(window.available).toBe(0);
  });

  it('refuses a rate that is not a positive number', () => {
    for (const rate of [0, -1, Number.NaN]) {
      expect(() => new TicketWindow(rate)).toThrow('TicketWindow ratePerSecond must be a positive number');
    }
  });
});
