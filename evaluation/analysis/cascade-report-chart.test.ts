import { buildCascadeReport } from './cascade-report';
import { cascadeReportChartSpec } from './cascade-report-chart';
import { tenRecords } from './evaluation-records.fixture';
import { renderChartSvg } from './render-chart';

describe('cascadeReportChartSpec', () => {
  const report = buildCascadeReport({ records: tenRecords, threshold: 0.5 });
  const lines = (svg: string) => svg.match(/aria-roledescription="line mark"/g)?.length ?? 0;
  const markers = (svg: string) =>
    [...svg.matchAll(/aria-label="([^":]+): [^"]*" role="graphics-symbol" aria-roledescription="point"/g)].map(
      (match) => match[1],
    );

  it('draws the sweep as a line and the three strategies as markers, each in the legend', async () => {
    const svg = await renderChartSvg(cascadeReportChartSpec(report, { title: 'faq route' }));
    expect(svg).toContain('>faq route</text>');
    expect(lines(svg)).toBe(1);
    expect(markers(svg)).toEqual(expect.arrayContaining(['cheap-only', 'flagship-only', 'cascade at 0.5']));
    for (const label of ['cascade, every threshold', 'cheap-only', 'flagship-only', 'cascade at 0.5'])
      expect(svg).toContain(`>${label}</text>`);
  });

  it('adds a line per subset when asked', async () => {
    const svg = await renderChartSvg(cascadeReportChartSpec(report, { bySubset: true }));
    expect(lines(svg)).toBe(3);
    expect(svg).toContain('>cascade on math</text>');
    expect(svg).toContain('>cascade on trivia</text>');
    expect(svg).toContain('>Cascade cost against accuracy</text>');
  });
});
