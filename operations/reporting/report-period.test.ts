import { parseDuration, parsePointInTime, reportPeriodOf } from './report-period';

const now = new Date('2025-06-10T12:00:00Z');

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    ['2w', 1_209_600_000],
    [' 7d ', 604_800_000],
    ['1.5h', 5_400_000],
    ['7 days', 604_800_000],
    ['7D', 604_800_000],
  ])('reads %j as %d ms', (text, milliseconds) => {
    expect(parseDuration(text)).toBe(milliseconds);
  });

  it.each(['7', '1.5', 'd', '0d', '-1d', 'hourly', ''])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parsePointInTime', () => {
  it('reads a duration as that long before now', () => {
    expect(parsePointInTime('7d', { now, option: '--since' }).toISOString()).toBe('2025-06-03T12:00:00.000Z');
    expect(parsePointInTime('30m', { now, option: '--since' }).toISOString()).toBe('2025-06-10T11:30:00.000Z');
  });

  it('reads an ISO date as midnight UTC and an ISO date-time with its offset', () => {
    expect(parsePointInTime('2025-06-01', { now, option: '--since' }).toISOString()).toBe('2025-06-01T00:00:00.000Z');
    expect(parsePointInTime('2025-06-01T08:30:00+02:00', { now, option: '--since' }).toISOString()).toBe(
      '2025-06-01T06:30:00.000Z',
    );
    expect(parsePointInTime('2025-06-01T08:30:00.250Z', { now, option: '--since' }).toISOString()).toBe(
      '2025-06-01T08:30:00.250Z',
    );
  });

  it.each(['yesterday', '1', '2025-13-01', '2025-02-30', '06/01/2025', 'a week'])(
    'refuses %j, naming the option',
    (text) => {
      expect(() => parsePointInTime(text, { now, option: '--until' })).toThrow(
        /^--until: expected a duration before now \(30m, 24h, 7d\) or an ISO date/,
      );
    },
  );
});

describe('reportPeriodOf', () => {
  it('runs from since to now unless until is given', () => {
    expect(reportPeriodOf({ since: '24h', now })).toEqual({ since: new Date('2025-06-09T12:00:00Z'), until: now });
    expect(reportPeriodOf({ since: '2025-06-01', until: '2025-06-02', now })).toEqual({
      since: new Date('2025-06-01T00:00:00Z'),
      until: new Date('2025-06-02T00:00:00Z'),
    });
  });

  it('refuses a window that ends before it starts', () => {
    expect(() => reportPeriodOf({ since: '1d', until: '7d', now })).toThrow(
      '--since (2025-06-09T12:00:00.000Z) must be before --until (2025-06-03T12:00:00.000Z)',
    );
  });
});
