import type { DevServer } from '../../local-stack/dev-server/dev-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { cascadeDevServer?: DevServer }).cascadeDevServer?.stop();
}
