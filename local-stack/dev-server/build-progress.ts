import type { Logger } from 'pino';

/** Where progress is drawn: a TTY gets a spinner, anything else gets a heartbeat line. */
export interface ProgressTerminal {
  isTTY?: boolean;
  columns?: number;
  write(text: string): boolean;
}

export interface BuildProgressOptions {
  /** What is happening, e.g. "Building the Temporal CLI v1.5.1"; repeated in every heartbeat. */
  title: string;
  /** Said once at the start, after the title, e.g. "first run only; a few minutes". */
  detail?: string;
  log?: Logger;
  /** Receives every line go writes (`go: downloading ...`). */
  onProgress?: (line: string) => void;
  /** @default process.stderr */
  terminal?: ProgressTerminal;
  /** Interval of the "still building" line when not on a TTY. @default 15_000 */
  heartbeatMs?: number;
  /** Spinner frame interval on a TTY. @default 120 */
  spinnerMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface BuildProgress {
  /** A line of go's output. */
  line(text: string): void;
  /** A notable step (retrying, falling back), shown to the person and logged. */
  note(message: string): void;
  /** Stops the spinner or heartbeat. */
  stop(): void;
}

const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Formats milliseconds as `7s` or `2m05s`. */
export function formatElapsed(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Shows that a long build is alive: on a TTY a spinner with the elapsed time and go's last line; elsewhere
 * (CI) one line every `heartbeatMs` with the elapsed time and how many modules were downloaded.
 */
export function startBuildProgress(options: BuildProgressOptions): BuildProgress {
  const terminal = options.terminal ?? process.stderr;
  const now = options.now ?? Date.now;
  const startedAt = now();
  let lastLine = '';
  let downloads = 0;
  let frame = 0;

  const say = (message: string) => {
    if (options.log) options.log.info(message);
    else terminal.write(`${message}\n`);
  };
  const elapsed = () => formatElapsed(now() - startedAt);

  let timer: NodeJS.Timeout;
  let clearSpinner = () => undefined as void;
  if (terminal.isTTY) {
    const width = Math.max(40, (terminal.columns ?? 100) - 1);
    const draw = () => {
      const text = `${spinnerFrames[frame++ % spinnerFrames.length]} ${options.title} ${elapsed()}  ${lastLine}`;
      terminal.write(`\r\x1b[2K${text.slice(0, width)}`);
    };
    clearSpinner = () => {
      terminal.write('\r\x1b[2K');
    };
    draw();
    timer = setInterval(draw, options.spinnerMs ?? 120);
  } else {
    say(`${options.title}${options.detail ? ` (${options.detail})` : ''}...`);
    timer = setInterval(() => {
      const lastSeen = lastLine ? `; last: ${lastLine}` : '';
      say(`${options.title}: still running after ${elapsed()} (${downloads} modules downloaded${lastSeen})`);
    }, options.heartbeatMs ?? 15_000);
  }
  timer.unref();

  return {
    line(text) {
      if (text.startsWith('go: downloading')) downloads += 1;
      lastLine = text.trim();
      options.onProgress?.(text);
      options.log?.debug({ go: text }, 'go');
    },
    note(message) {
      clearSpinner();
      say(message);
    },
    stop() {
      clearInterval(timer);
      clearSpinner();
    },
  };
}
