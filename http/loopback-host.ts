import { isIP } from 'node:net';

/** Whether a listening host is reachable from this machine only (`localhost`, `127.x.y.z`, `::1`). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}
