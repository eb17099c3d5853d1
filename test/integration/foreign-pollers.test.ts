import { setTimeout as sleep } from 'node:timers/promises';
import { describeForeignPollers, findForeignPollers, type ForeignPoller } from '../../workers/foreign-pollers';
import { routesFingerprint } from '../../workers/worker-identity';
import { standardModels, standardRoutes, startHarness, type Harness } from './cascade-harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ models: standardModels(), routesYaml: standardRoutes() });
});

afterAll(async () => {
  await harness?.stop();
});

/** Asks until the server lists the harness's worker (it appears after its first poll). */
async function pollersSeenBy(routesFingerprintOfCaller: string): Promise<ForeignPoller[]> {
  const ask = () =>
    findForeignPollers({
      client: harness.temporal,
      namespace: 'default',
      taskQueue: harness.taskQueue,
      routesFingerprint: routesFingerprintOfCaller,
    });
  for (let attempt = 0; attempt < 40; attempt++) {
    const found = await ask();
    if (found.length > 0) return found;
    await sleep(250);
  }
  return ask();
}

it('names a worker on the queue that serves other routes, and not one that serves the same routes', async () => {
  const foreign = await pollersSeenBy('0123456789ab');
  expect(foreign).toEqual([
    {
      identity: expect.stringMatching(new RegExp(`^${process.pid}@.+ routes=${routesFingerprint(harness.routes)}$`)),
      routesFingerprint: routesFingerprint(harness.routes),
      lastPolledSecondsAgo: expect.any(Number),
    },
  ]);
  expect(describeForeignPollers({ pollers: foreign, taskQueue: harness.taskQueue, address: harness.address })).toMatch(
    new RegExp(
      `^task queue ${harness.taskQueue} on ${harness.address} is also polled by 1 worker\\(s\\) with other routes \\(${process.pid}@`,
    ),
  );
  expect(
    await findForeignPollers({
      client: harness.temporal,
      namespace: 'default',
      taskQueue: harness.taskQueue,
      routesFingerprint: routesFingerprint(harness.routes),
    }),
  ).toEqual([]);
});
