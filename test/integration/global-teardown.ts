import type { DevServer } from '../../dev-server/dev-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { cascadeDevServer?: DevServer }).cascadeDevServer?.stop();
}
