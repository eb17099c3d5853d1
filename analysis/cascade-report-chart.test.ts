import { buildCascadeReport } from './cascade-report';
import { renderCascadeReportChart } from './cascade-report-chart';
import { tenRecords } from './evaluation-records.fixture';

describe('renderCascadeReportChart', () => {
  const report = buildCascadeReport({ records: tenRecords, threshold: 0.5 });

  it('draws the sweep as a line and the three strategies as markers', () => {
    const svg = renderCascadeReportChart(report, { title: 'faq route' });
    expect(svg).toContain('<title>faq route</title>');
    expect(svg.match(/<polyline /g)).toHaveLength(1);
    for (const label of ['cascade, every threshold', 'cheap-only', 'flagship-only', 'cascade at 0.5'])
      expect(svg).toContain(`>${label}</text>`);
  });

  it('adds a line per subset when asked', () => {
    const svg = renderCascadeReportChart(report, { bySubset: true });
    expect(svg.match(/<polyline /g)).toHaveLength(3);
    expect(svg).toContain('>cascade on math</text>');
    expect(svg).toContain('>cascade on trivia</text>');
    expect(svg).toContain('<title>Cascade cost against accuracy</title>');
  });
});
