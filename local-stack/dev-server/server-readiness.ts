import { Connection } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPortAcceptingConnections } from '../../http/free-port';

/** A connection that answered `GetSystemInfo`, or the reason there is none. The caller closes the connection. */
export type ProbeResult = { connection: Connection; problem?: undefined } | { connection?: undefined; problem: string };

/** Connects to `address` and asks for the system info, giving up after `timeoutMs`. */
export async function probeTemporalServer(address: string, timeoutMs = 2000): Promise<ProbeResult> {
  // lazy + ensureConnected rather than connect(): when connecting fails we still hold the connection and
  // can close it; a leaked gRPC channel keeps retrying and keeps the process alive.
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return { connection };
  } catch (error) {
    await connection.close().catch(() => undefined);
    return { problem: (error as Error).message };
  }
}

export interface WaitForServerOptions {
  address: string;
  /** Waits until this namespace can be described too. */
  namespace: string;
  /** @default 60_000 */
  timeoutMs?: number;
  /** Checked between attempts; a message here stops the wait (e.g. "the server exited with code 1"). */
  abortReason?: () => string | undefined;
}

/**
 * Connects once the server answers and the namespace exists. Throws an Error naming the last problem
 * when `abortReason` says so or the time is up.
 */
export async function waitForTemporalServer(options: WaitForServerOptions): Promise<Connection> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const aborted = options.abortReason?.();
    if (aborted) throw new Error(aborted);
    // A plain TCP check first: cheap, and it lets a server that died at once be noticed within 250 ms.
    const [host, port] = splitAddress(options.address);
    const probe: ProbeResult = (await isPortAcceptingConnections(host, port))
      ? await probeTemporalServer(options.address)
      : { problem: 'nothing listens on the port yet' };
    let problem = probe.problem;
    if (probe.connection) {
      try {
        await probe.connection.workflowService.describeNamespace({ namespace: options.namespace });
        return probe.connection;
      } catch (error) {
        problem = `namespace ${options.namespace}: ${(error as Error).message}`;
        await probe.connection.close().catch(() => undefined);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Temporal at ${options.address} did not become ready within ${timeoutMs / 1000} s (last problem: ${problem})`,
      );
    }
    await sleep(250);
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}
