import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import pino from 'pino';

/** The project's logger: JSON lines on stderr (so `--json` output on stdout stays one object). */
export function createLogger(options: { level?: string; name?: string } = {}): pino.Logger {
  return pino(
    { name: options.name ?? 'temporal-cascade', level: options.level ?? process.env.LOG_LEVEL ?? 'info' },
    pino.destination(2),
  );
}

const pinoLevels: Record<LogLevel, pino.Level> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * Adapts pino to the SDK's `Logger`, so the worker, the activities (`Context.current().log`) and the
 * workflows (`log` from @temporalio/workflow, replay-aware) all log through one pino instance.
 */
export class PinoTemporalLogger implements Logger {
  constructor(private readonly logger: pino.Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevels[level] ?? 'info'](plain(meta), message);
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** The SDK adds symbol keys to metadata and passes errors as values; pino wants plain JSON. */
function plain(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  return Object.fromEntries(
    Object.entries(meta).map(([key, value]) => [key, value instanceof Error ? pino.stdSerializers.err(value) : value]),
  );
}
