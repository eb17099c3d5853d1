import { Presets, SingleBar } from 'cli-progress';

/** A progress bar on stderr that starts at the first report; nothing when stderr is not a terminal. */
export function createProgressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
  const bar = process.stderr.isTTY
    ? new SingleBar(
        { format: `${label} {bar} {value}/{total} · {duration}s`, stream: process.stderr },
        Presets.shades_classic,
      )
    : undefined;
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar?.start(total, 0);
      started = true;
      bar?.update(done);
    },
    stop: () => {
      if (started) bar?.stop();
    },
  };
}
