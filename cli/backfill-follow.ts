import { SingleBar } from 'cli-progress';
import type { BackfillClient } from '../client/backfill-client';
import type { BackfillProgress } from '../contracts/backfill/backfill-job';
import { formatUsd } from '../contracts/cascade/describe-outcome';

export type FollowedBackfill = { detached: true } | { detached: false; progress: BackfillProgress };

/**
 * Follows a job until it ends, with a progress bar on stderr (done, escalated, failed, cost so far,
 * rate, time left), or a line every few seconds when stderr is not a terminal. Ctrl-C detaches: the
 * job goes on.
 */
export async function followBackfill(options: {
  client: BackfillClient;
  jobId: string;
  intervalMs?: number;
  stream?: NodeJS.WriteStream;
}): Promise<FollowedBackfill> {
  const stream = options.stream ?? process.stderr;
  const intervalMs = options.intervalMs ?? 500;
  const rate = new RateMeter();
  const bar = stream.isTTY
    ? new SingleBar({
        stream,
        format:
          'backfill {bar} {value}/{totalText} · escalated {escalated} · failed {failed} · {cost} · {rate}/s · {eta} left · {status}',
        barCompleteChar: '█',
        barIncompleteChar: '░',
        hideCursor: true,
      })
    : undefined;
  let barStarted = false;
  let lastLineAt = 0;

  let detach: () => void = () => undefined;
  const detached = new Promise<'detached'>((resolve) => (detach = () => resolve('detached')));
  process.once('SIGINT', detach);
  const ended = options.client.result(options.jobId).then((progress) => ({ progress }));
  try {
    for (;;) {
      const progress = await options.client.progress(options.jobId).catch(() => undefined);
      if (progress) {
        rate.add(progress.counters.done);
        const values = payloadOf(progress, rate);
        if (bar) {
          if (!barStarted) bar.start(progress.total ?? progress.counters.done + 1, progress.counters.done, values);
          barStarted = true;
          bar.setTotal(
            Math.max(progress.total ?? 0, progress.counters.done + (progress.status === 'completed' ? 0 : 1)),
          );
          bar.update(progress.counters.done, values);
        } else if (Date.now() - lastLineAt >= 5000) {
          lastLineAt = Date.now();
          stream.write(
            `backfill ${progress.counters.done}/${values.totalText} · escalated ${values.escalated} · failed ${values.failed} · ${values.cost} · ${values.rate}/s · ${values.eta} left · ${values.status}\n`,
          );
        }
      }
      const next = await Promise.race([
        ended,
        detached,
        new Promise<'tick'>((resolve) => setTimeout(resolve, intervalMs, 'tick')),
      ]);
      if (next === 'detached') return { detached: true };
      if (next !== 'tick') {
        if (bar && barStarted) {
          bar.setTotal(next.progress.counters.done);
          bar.update(next.progress.counters.done, payloadOf(next.progress, rate));
        }
        return { detached: false, progress: next.progress };
      }
    }
  } finally {
    process.removeListener('SIGINT', detach);
    if (barStarted) bar?.stop();
    ended.catch(() => undefined);
  }
}

function payloadOf(progress: BackfillProgress, rate: RateMeter) {
  const perSecond = rate.perSecond();
  const remaining = progress.total !== undefined ? Math.max(0, progress.total - progress.counters.done) : undefined;
  return {
    totalText: progress.total !== undefined ? String(progress.total) : '?',
    escalated: progress.counters.escalated,
    failed: progress.counters.failed,
    cost: formatUsd(progress.counters.costUsd),
    rate: perSecond.toFixed(1),
    eta: remaining === undefined || perSecond === 0 ? '?' : formatDuration(remaining / perSecond),
    status: progress.status,
  };
}

/** Requests finished per second over the last 15 seconds of samples. */
class RateMeter {
  private readonly samples: Array<{ at: number; done: number }> = [];

  add(done: number): void {
    const at = Date.now();
    this.samples.push({ at, done });
    while (this.samples.length > 2 && at - this.samples[0]!.at > 15_000) this.samples.shift();
  }

  perSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    return ((last.done - first.done) * 1000) / (last.at - first.at);
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}
