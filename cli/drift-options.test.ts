import { InvalidDriftCheckError } from '../operations/drift/invalid-drift-check-error';
import { driftCheckOfFlags, parseDurationFlag, type DriftThresholdFlags } from './drift-options';

const flags: DriftThresholdFlags = { route: 'tickets', baseline: '0.2', maxDriftPoints: '10', window: '24h' };

function errorOf(change: Partial<DriftThresholdFlags>): InvalidDriftCheckError {
  try {
    driftCheckOfFlags({ ...flags, ...change });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDriftCheckError);
    expect((error as InvalidDriftCheckError).type).toBe('InvalidCascadeRequest');
    return error as InvalidDriftCheckError;
  }
  throw new Error('expected the flags to be refused');
}

describe('driftCheckOfFlags', () => {
  it('builds the check with its defaults written out', () => {
    expect(driftCheckOfFlags(flags)).toEqual({
      route: 'tickets',
      windowMs: 86_400_000,
      thresholds: { baselineEscalationRate: 0.2, maxDriftPoints: 10, minRequests: 30 },
    });
  });

  it('reads rates and shares as fractions or percentages, and durations in words', () => {
    expect(
      driftCheckOfFlags({ ...flags, baseline: '20%', maxCostShare: '85 %', window: '90 minutes', minRequests: '200' }),
    ).toEqual({
      route: 'tickets',
      windowMs: 5_400_000,
      thresholds: { baselineEscalationRate: 0.2, maxDriftPoints: 10, maxCostShare: 0.85, minRequests: 200 },
    });
    expect(driftCheckOfFlags({ ...flags, maxCostShare: '0.9' }).thresholds.maxCostShare).toBe(0.9);
  });

  it.each([
    [
      { baseline: 'high' },
      'invalid drift check: --baseline: must be a fraction or a percentage such as 0.2 or 20%, got "high"',
    ],
    [{ baseline: '20' }, 'invalid drift check: --baseline: must be a rate between 0 and 1'],
    [{ baseline: '' }, '--baseline: must be a fraction or a percentage'],
    [{ maxDriftPoints: '0' }, 'invalid drift check: --max-drift-points: must be more than 0 percentage points'],
    [{ maxDriftPoints: 'ten' }, 'invalid drift check: --max-drift-points: must be a number, got "ten"'],
    [{ maxCostShare: '-5%' }, '--max-cost-share: must be a fraction or a percentage'],
    [{ maxCostShare: '0' }, 'invalid drift check: --max-cost-share: must be a share of more than 0'],
    [{ minRequests: '2.5' }, 'invalid drift check: --min-requests: must be a whole number'],
    [{ window: 'a while' }, 'invalid drift check: --window: must be a duration such as 30m, 1h or 24h, got "a while"'],
    [{ window: '10ms' }, 'invalid drift check: --window: must be at least 1 second'],
    [{ route: 'tickets; drop' }, 'invalid drift check: --route: must be a route name'],
  ])('refuses %j naming the flag', (change, message) => {
    expect(errorOf(change).message).toContain(message);
  });

  it('names every bad flag at once', () => {
    expect(errorOf({ baseline: '2', maxDriftPoints: '-1' }).message).toBe(
      'invalid drift check: --baseline: must be a rate between 0 and 1; --max-drift-points: must be more than 0 percentage points',
    );
  });
});

describe('parseDurationFlag', () => {
  it.each([
    ['1h', 3_600_000],
    ['2s', 2_000],
    ['7d', 604_800_000],
    ['60000', 60_000],
  ])('reads %s', (text, milliseconds) => {
    expect(parseDurationFlag(text, '--every')).toBe(milliseconds);
  });

  it('names the flag of a bad duration', () => {
    expect(() => parseDurationFlag('hourly', '--every')).toThrow(
      'invalid drift check: --every: must be a duration such as 30m, 1h or 24h, got "hourly"',
    );
  });
});
