import { Hono } from 'hono';
import { startHttpServer, type RunningHttpServer } from './http-server';

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

describe('startHttpServer', () => {
  let server: RunningHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('listens on a free port of 127.0.0.1 and serves the app', async () => {
    const app = new Hono().post('/echo', async (context) => context.json({ got: await context.req.json() }));
    server = await startHttpServer({ fetch: app.fetch });
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const response = await fetch(`${server.origin}/echo`, { method: 'POST', body: '{"a":1}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ got: { a: 1 } });
  });

  it('rejects when the port is taken', async () => {
    server = await startHttpServer({ fetch: () => new Response('first') });
    await expect(startHttpServer({ fetch: () => new Response('second'), port: server.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });

  it('tells a route when its client goes away', async () => {
    let sawAbort: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (sawAbort = resolve));
    const app = new Hono().get('/wait', async (context) => {
      await untilAborted(context.req.raw.signal);
      sawAbort();
      return context.body(null, 204);
    });
    server = await startHttpServer({ fetch: app.fetch });
    await expect(fetch(`${server.origin}/wait`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await aborted;
  });

  it('closes at once, cutting a request held open, and a second close returns the same promise', async () => {
    const app = new Hono().get('/wait', async (context) => {
      await untilAborted(context.req.raw.signal);
      return context.body(null, 204);
    });
    const running = await startHttpServer({ fetch: app.fetch });
    const held = fetch(`${running.origin}/wait`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closingAt = Date.now();
    const closed = running.close();
    expect(running.close()).toBe(closed);
    await closed;
    expect(Date.now() - closingAt).toBeLessThan(1000);
    expect(await held).toBe('cut');
    await expect(fetch(`${running.origin}/wait`)).rejects.toThrow();
  });

  it('drains: stops taking requests, lets one in progress finish within the grace, then cuts what is left', async () => {
    const app = new Hono()
      .get('/slow', async (context) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return context.text('finished');
      })
      .get('/wait', async (context) => {
        await untilAborted(context.req.raw.signal);
        return context.body(null, 204);
      });
    const running = await startHttpServer({ fetch: app.fetch });
    const slow = fetch(`${running.origin}/slow`).then((response) => response.text());
    const held = fetch(`${running.origin}/wait`).then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const drainingAt = Date.now();
    const drained = running.drain({ graceMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await expect(fetch(`${running.origin}/slow`)).rejects.toThrow();
    expect(await slow).toBe('finished');
    await drained;
    const took = Date.now() - drainingAt;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3_000);
    expect(await held).toBe('cut');
  });

  it('leaves the global Response alone, so fetch results stay instances of it', async () => {
    server = await startHttpServer({ fetch: () => new Response('hello') });
    const response = await fetch(server.origin);
    expect(response).toBeInstanceOf(Response);
    expect(await response.text()).toBe('hello');
  });
});
