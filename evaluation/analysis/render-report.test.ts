import { buildCascadeReport } from './cascade-report';
import { evaluationRecord, tenRecords } from './evaluation-records.fixture';
import { formatInterval, renderCascadeReport } from './render-report';

describe('renderCascadeReport', () => {
  const text = renderCascadeReport(buildCascadeReport({ records: tenRecords, threshold: 0.5 }), { title: 'faq route' });
  const lines = text.split('\n');
  const lineStartingWith = (prefix: string) => lines.find((line) => line.startsWith(prefix));

  it('heads the report with the title, threshold, item count and confidence', () => {
    expect(lines[0]).toBe('faq route · threshold 0.5 · 10 items · 95% intervals');
  });

  it('puts the strategies side by side, accuracy with its interval', () => {
    expect(lineStartingWith('accuracy')).toMatch(
      /^accuracy\s+50\.0% \[23\.7, 76\.3\]\s+80\.0% \[49\.0, 94\.3\]\s+80\.0% \[49\.0, 94\.3\]$/,
    );
    expect(lineStartingWith('cost per 1k requests')).toMatch(/\$1\.00\s+\$10\.00\s+\$6\.20$/);
  });

  it('states the cascade figures', () => {
    expect(lineStartingWith('escalation rate')).toMatch(
      /50\.0% \[23\.7, 76\.3\] \(5 of 10; 1 failed the deterministic checks\)$/,
    );
    expect(lineStartingWith('break-even escalation rate')).toContain('88.0%');
    expect(lineStartingWith('blended effective rate')).toMatch(/\$6\.20 per 1k requests, 62\.0% of flagship-only$/);
    expect(lineStartingWith('saving against flagship-only')).toMatch(/\$3\.80 per 1k requests \(38\.0%\)$/);
    expect(lineStartingWith('complexity split')).toContain('only flagship 40.0%');
    expect(lineStartingWith('error-cost area')).toContain('cascade 0.240 · random routing 0.350');
  });

  it('shows a compact sweep that marks the chosen threshold and names the escalate-everything row', () => {
    const compact = renderCascadeReport(buildCascadeReport({ records: tenRecords, threshold: 0.55 }), { sweepRows: 4 });
    const sweepLines = compact
      .split('\n\n')
      .find((section) => section.startsWith('threshold sweep'))!
      .split('\n');
    expect(sweepLines[0]).toBe('threshold sweep (11 thresholds, 5 shown)');
    expect(sweepLines.slice(2).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      '0.000',
      '0.300',
      '0.550',
      '0.700',
      'above',
    ]);
    expect(sweepLines[4]).toMatch(/0\.550\s+60\.0%\s+80\.0%\s+\$7\.20\s+<- chosen$/);
    expect(sweepLines[6]).toMatch(/above all\s+100\.0%\s+80\.0%\s+\$11\.20$/);
  });

  it('tabulates the subsets', () => {
    expect(lineStartingWith('math')).toMatch(/^math\s+5\s+80\.0%\s+80\.0%\s+80\.0%\s+0\.0%\s+\$1\.20\s+88\.0%$/);
    expect(lineStartingWith('trivia')).toMatch(/-12\.0%$/);
  });

  it('leaves out the subset table when there is one subset', () => {
    const single = renderCascadeReport(buildCascadeReport({ records: tenRecords.slice(0, 5), threshold: 0.5 }));
    expect(single).not.toContain('per subset');
  });

  it('says when the cascade can never pay', () => {
    const dear = [evaluationRecord({ id: 'a', cheapCostUsd: 0.008, gateCostUsd: 0.004, flagshipCostUsd: 0.01 })];
    expect(renderCascadeReport(buildCascadeReport({ records: dear, threshold: 0.5 }))).toContain(
      'never pays: the cheap tier and gate alone cost 120.0% of the flagship',
    );
  });

  it('writes costs of small models with significant digits, not as zero cents', () => {
    const tiny = [evaluationRecord({ id: 'a', cheapCostUsd: 0.0000012, gateCostUsd: 0, flagshipCostUsd: 0.00003 })];
    expect(renderCascadeReport(buildCascadeReport({ records: tiny, threshold: 0.9 }))).toMatch(
      /cost per 1k requests\s+\$0\.00120\s+\$0\.0300/,
    );
  });
});

describe('renderCascadeReport options', () => {
  it('rejects a sweep of fewer than two rows', () => {
    const report = buildCascadeReport({ records: tenRecords, threshold: 0.5 });
    expect(() => renderCascadeReport(report, { sweepRows: 1 })).toThrow(
      'renderCascadeReport: sweepRows must be an integer of at least 2, got 1',
    );
  });
});

describe('formatInterval', () => {
  it('writes the estimate and bounds in percent with one decimal', () => {
    expect(formatInterval({ estimate: 0.724, lower: 0.6912, upper: 0.7548 })).toBe('72.4% [69.1, 75.5]');
  });
});
