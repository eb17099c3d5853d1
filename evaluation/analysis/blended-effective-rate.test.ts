import { blendedEffectiveRate } from './blended-effective-rate';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';

describe('blendedEffectiveRate', () => {
  it('is the cascade cost per 1,000 requests and as a fraction of flagship-only', () => {
    const rate = blendedEffectiveRate(tenRecords, 0.5);
    // $0.062 over 10 requests; flagship-only costs $0.1.
    expect(rate.costPer1kUsd).toBeCloseTo(6.2, 10);
    expect(rate.fractionOfFlagshipOnly).toBeCloseTo(0.62, 12);
  });

  it('exceeds the flagship when everything escalates, since the cheap tier and gate were paid too', () => {
    expect(blendedEffectiveRate(tenRecords, 0.95).fractionOfFlagshipOnly).toBeCloseTo(1.12, 12);
  });

  it('has no fraction when flagship-only costs nothing', () => {
    const rate = blendedEffectiveRate([evaluationRecord({ id: 'a', flagshipCostUsd: 0 })], 0.9);
    expect(rate.fractionOfFlagshipOnly).toBeNull();
    expect(rate.costPer1kUsd).toBeCloseTo(1.2, 10);
  });
});
