/**
 * Starts something on `port`, or on a free port (0) when that one is taken, calling `onFallback` first;
 * rethrows any other failure. Port 0 itself is never retried.
 */
export async function startOnPreferredPort<Started>(options: {
  port: number;
  start: (port: number) => Promise<Started>;
  onFallback: (port: number) => void;
}): Promise<Started> {
  try {
    return await options.start(options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || options.port === 0) throw error;
    options.onFallback(options.port);
    return options.start(0);
  }
}
