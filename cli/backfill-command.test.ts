import { backfillJobIdPattern } from '../contracts/backfill/backfill-job';
import { defaultJobName } from './backfill-command';
import { formatDuration } from './backfill-follow';

describe('defaultJobName', () => {
  it('is the same for the same route and source, and differs otherwise', () => {
    const file = { kind: 'jsonl' as const, path: '/data/queued tickets.jsonl' };
    const name = defaultJobName('support-ticket', file);
    expect(name).toMatch(/^support-ticket-queued-tickets-[0-9a-f]{8}$/);
    expect(defaultJobName('support-ticket', file)).toBe(name);
    expect(defaultJobName('math', file)).not.toBe(name);
    expect(defaultJobName('support-ticket', { kind: 'jsonl', path: '/other/queued tickets.jsonl' })).not.toBe(name);
    const table = defaultJobName('support-ticket', {
      kind: 'postgres',
      url: 'postgres://app@db:5432/app',
      table: 'queued_requests',
    });
    expect(table).toMatch(/^support-ticket-queued_requests-[0-9a-f]{8}$/);
    expect(backfillJobIdPattern.test(table)).toBe(true);
  });
});

describe('formatDuration', () => {
  it.each([
    [4.4, '4s'],
    [75, '1m15s'],
    [3 * 3600 + 125, '3h02m'],
    [Number.POSITIVE_INFINITY, '?'],
  ])('%p seconds read %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
