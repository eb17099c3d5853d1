import { formatElapsed, startBuildProgress, type ProgressTerminal } from './build-progress';

function recordingTerminal(isTTY: boolean): ProgressTerminal & { chunks: string[] } {
  const chunks: string[] = [];
  return { isTTY, columns: 200, chunks, write: (chunk: string) => chunks.push(chunk) > 0 };
}

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [320_000, '5m20s'],
  ])('formats %d ms as %s', (milliseconds, text) => {
    expect(formatElapsed(milliseconds)).toBe(text);
  });
});

describe('startBuildProgress', () => {
  it('off a TTY, prints a heartbeat with the elapsed time and the download count', async () => {
    const terminal = recordingTerminal(false);
    let now = 0;
    const lines: string[] = [];
    const progress = startBuildProgress({
      title: 'Building X',
      detail: 'slow',
      terminal,
      heartbeatMs: 20,
      now: () => now,
      onProgress: (line) => lines.push(line),
    });
    progress.line('go: downloading a v1');
    progress.line('go: downloading b v2');
    now = 75_000;
    await new Promise((resolve) => setTimeout(resolve, 50));
    progress.stop();
    expect(terminal.chunks[0]).toBe('Building X (slow)...\n');
    expect(terminal.chunks[1]).toBe(
      'Building X: still running after 1m15s (2 modules downloaded; last: go: downloading b v2)\n',
    );
    expect(lines).toEqual(['go: downloading a v1', 'go: downloading b v2']);
  });

  it('on a TTY, redraws one spinner line and clears it when stopped', async () => {
    const terminal = recordingTerminal(true);
    const progress = startBuildProgress({ title: 'Building X', terminal, spinnerMs: 10, now: () => 0 });
    progress.line('go: downloading a v1');
    await new Promise((resolve) => setTimeout(resolve, 40));
    progress.stop();
    expect(terminal.chunks.length).toBeGreaterThan(2);
    expect(terminal.chunks.some((chunk) => chunk.includes('Building X 0s  go: downloading a v1'))).toBe(true);
    expect(terminal.chunks.every((chunk) => chunk.startsWith('\r\x1b[2K'))).toBe(true);
    expect(terminal.chunks[terminal.chunks.length - 1]).toBe('\r\x1b[2K');
  });
});
