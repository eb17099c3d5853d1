import { durationSchema } from '../../config/config-file-schema';
import { ReportInputError } from './report-input-error';

/**
 * A duration before now, read by the same parser as the routes file's durations (`30m`, `24h`, `7d`,
 * `1.5h`, `2 days`), in milliseconds, or undefined when the text is not a positive duration. A bare number
 * would be milliseconds, too easily taken for days: a window needs its unit.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[\d.]+$/.test(trimmed)) return undefined;
  const parsed = durationSchema.safeParse(trimmed);
  return parsed.success && parsed.data > 0 ? parsed.data : undefined;
}

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * A point in time given as a duration before `now` (`7d`) or as an ISO 8601 date or date-time
 * (`2025-06-01` is midnight UTC; `2025-06-01T12:00:00Z`; a date-time without an offset is local
 * time). Anything else is a `ReportInputError` that names `option`.
 */
export function parsePointInTime(text: string, options: { now: Date; option: string }): Date {
  const duration = parseDuration(text);
  if (duration !== undefined) return new Date(options.now.getTime() - duration);
  const trimmed = text.trim();
  const parsed = isCalendarDate(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw new ReportInputError({
      message: `${options.option}: expected a duration before now (30m, 24h, 7d) or an ISO date (2025-06-01, 2025-06-01T12:00:00Z), got ${JSON.stringify(text)}`,
    });
  }
  return new Date(parsed);
}

/** The window a report covers: from `since` up to `until` (default now); `since` must come first. */
export function reportPeriodOf(options: { since: string; until?: string; now: Date }): { since: Date; until: Date } {
  const since = parsePointInTime(options.since, { now: options.now, option: '--since' });
  const until =
    options.until === undefined
      ? options.now
      : parsePointInTime(options.until, { now: options.now, option: '--until' });
  if (since.getTime() >= until.getTime()) {
    throw new ReportInputError({
      message: `--since (${since.toISOString()}) must be before --until (${until.toISOString()})`,
    });
  }
  return { since, until };
}

/** Whether the text is an ISO date (or date-time) whose day exists: `Date.parse` rolls 2025-02-30 over to March. */
function isCalendarDate(text: string): boolean {
  const match = isoDatePattern.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}
