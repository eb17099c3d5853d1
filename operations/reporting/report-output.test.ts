import { buildGroupedReport } from './grouped-report';
import type { ReportedCascade } from './reported-cascade';
import { reportedCascade as cascade } from './reported-cascade.fixture';
import {
  csvField,
  neutraliseFormula,
  renderReport,
  renderReportCsv,
  renderReportTable,
  reportJson,
  type CascadeReport,
} from './report-output';

function reportOf(cascades: ReportedCascade[], by: CascadeReport['by']): CascadeReport {
  return {
    source: 'visibility',
    since: new Date('2025-06-01T00:00:00Z'),
    until: new Date('2025-06-08T00:00:00Z'),
    ...buildGroupedReport({ cascades, by }),
  };
}

/** Splits CSV text into rows of fields (RFC 4180), to check that what was written reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index += 1;
    } else field += character;
  }
  return rows;
}

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    [' padded', '" padded"'],
    ['', ''],
  ])('writes %j as %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });
});

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://x.example","click")', `'=HYPERLINK("http://x.example","click")`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['acme', 'acme'],
    ['a=b', 'a=b'],
  ])('writes %j as %j', (value, expected) => {
    expect(neutraliseFormula(value)).toBe(expected);
  });

  it('leaves a group value that a spreadsheet would run inert in the report, and negative numbers as numbers', () => {
    const report = reportOf(
      [cascade({ route: 'support', customer: '=cmd|" /C calc"!A0', costUsd: 0.5, flagshipOnlyUsd: 0.1 })],
      ['customer'],
    );
    const [header, group] = parseCsv(renderReportCsv(report));
    expect(group![header!.indexOf('customer')]).toBe(`'=cmd|" /C calc"!A0`);
    expect(group![header!.indexOf('saving_usd')]).toBe('-0.4');
  });
});

describe('renderReportCsv', () => {
  const cascades = [
    cascade({ route: 'support, "tier 1"', customer: 'acme' }),
    cascade({
      route: 'support, "tier 1"',
      outcome: 'escalated',
      escalationReason: 'json_invalid',
      answerTier: 'flagship',
      costUsd: 0.011,
      latencyMs: 900,
    }),
    cascade({
      route: 'billing',
      outcome: 'failed',
      escalationReason: 'refusal',
      failureType: 'ProviderUnavailable',
      answerTier: undefined,
      flagshipOnlyUsd: 0,
    }),
  ];
  const rows = parseCsv(renderReportCsv(reportOf(cascades, ['route', 'tier'])));

  it('writes a header row, a row per group and a total row, each with as many fields as the header', () => {
    expect(rows[0]!.slice(0, 6)).toEqual(['scope', 'route', 'tier', 'requests', 'accepted', 'accepted_share']);
    expect(rows.map((row) => row[0])).toEqual(['scope', 'group', 'group', 'group', 'total']);
    for (const row of rows) expect(row).toHaveLength(rows[0]!.length);
  });

  it('quotes values with commas and quotes so they read back unchanged', () => {
    const column = (name: string) => rows[0]!.indexOf(name);
    const supportRows = rows.filter((row) => row[column('route')] === 'support, "tier 1"');
    expect(supportRows.map((row) => row[column('tier')]).sort()).toEqual(['cheap', 'flagship']);
    const failedRow = rows.find((row) => row[column('route')] === 'billing')!;
    expect(failedRow[column('tier')]).toBe('none');
    expect(failedRow[column('failures_by_type')]).toBe('ProviderUnavailable=1');
    expect(failedRow[column('escalations_by_reason')]).toBe('refusal=1');
    expect(failedRow[column('latency_accepted_p50_ms')]).toBe('');
    expect(failedRow[column('latency_failed_p95_ms')]).toBe('100');
    const total = rows[rows.length - 1]!;
    expect(total[column('route')]).toBe('');
    expect(total[column('requests')]).toBe('3');
    expect(Number(total[column('cascade_cost_usd')])).toBeCloseTo(0.013, 12);
    expect(Number(total[column('escalation_rate')])).toBeCloseTo(2 / 3, 12);
  });
});

describe('renderReportTable', () => {
  it('shows the total as the summary table, the judge cost, and a row per group', () => {
    const table = renderReportTable(
      reportOf(
        [
          cascade({ judgeUsd: 0.0005, costUsd: 0.0015 }),
          cascade({
            route: 'triage',
            outcome: 'escalated',
            escalationReason: 'refusal',
            answerTier: 'flagship',
            costUsd: 0.011,
            latencyMs: 800,
          }),
        ],
        ['route'],
      ),
    );
    expect(table).toContain('Cascades closed 2025-06-01T00:00:00.000Z – 2025-06-08T00:00:00.000Z · from visibility');
    expect(table).toMatch(/escalated to the flagship +1 \(50\.0%\)/);
    expect(table).toContain('judge calls (within the cascade cost)  $0.0005');
    expect(table).toMatch(/^route +requests +accepted +escalated +failed/m);
    expect(table).toMatch(/^triage +1 +0\.0% +100\.0% +0 +\$0\.0110 .* - +800 \/ 800 +- +refusal 1$/m);
    expect(table).toMatch(/^faq +1 +100\.0% +0\.0% +0 +\$0\.0015 .* 100 \/ 100 +- +-$/m);
  });
});

describe('reportJson', () => {
  it('keeps a missing percentile as null and times as ISO strings', () => {
    const json = reportJson(reportOf([cascade({})], [])) as {
      since: string;
      total: { latency: { escalated: unknown } };
    };
    expect(json.since).toBe('2025-06-01T00:00:00.000Z');
    expect(json.total.latency.escalated).toEqual({ count: 0, p50Ms: null, p95Ms: null });
    expect(JSON.parse(renderReport(reportOf([cascade({})], []), 'json'))).toEqual(json);
  });
});
