import type { State } from '@temporalio/worker';
import { startWorkerHealth } from './worker-health';

describe('startWorkerHealth', () => {
  it('answers 200 while the worker runs and 503 once it drains, over HTTP', async () => {
    let state: State = 'RUNNING';
    const health = await startWorkerHealth({ worker: { getState: () => state }, port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${health.port}/healthz`;
      const running = await fetch(url);
      expect(running.status).toBe(200);
      expect(await running.json()).toEqual({ state: 'RUNNING' });
      state = 'DRAINING';
      const draining = await fetch(url);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toEqual({ state: 'DRAINING' });
      expect((await fetch(`http://127.0.0.1:${health.port}/other`)).status).toBe(404);
    } finally {
      await health.close();
    }
  });
});
