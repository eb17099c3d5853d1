import { escapeXml, renderCostAccuracyChart, type CostAccuracyChartOptions } from './cost-accuracy-chart';

/**
 * The well-formedness errors of an XML document, by a small tokenizer: one root element, tags closed in
 * order, attribute values quoted, `&` only in entities and `<` only in tags.
 */
function wellFormednessErrors(xml: string): string[] {
  const errors: string[] = [];
  const open: string[] = [];
  let roots = 0;
  const token =
    /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|([^<]+)|(<)/gy;
  const strayAmpersand = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
  for (const match of xml.matchAll(token)) {
    const [whole, closing, name, attributes, selfClosing, text, strayAngle] = match;
    if (strayAngle !== undefined) {
      errors.push(`malformed tag at ${match.index}: ${xml.slice(match.index, match.index + 30)}`);
      break;
    }
    if (text !== undefined) {
      if (open.length === 0 && text.trim() !== '') errors.push(`text outside the root: ${text.trim().slice(0, 30)}`);
      if (strayAmpersand.test(text)) errors.push(`bare & in text: ${text.slice(0, 30)}`);
      continue;
    }
    if (strayAmpersand.test(attributes ?? '')) errors.push(`bare & in an attribute of <${name}>`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) errors.push(`</${name}> closes <${expected ?? 'nothing'}>`);
    } else if (selfClosing) {
      if (open.length === 0) roots += 1;
    } else {
      if (open.length === 0) roots += 1;
      open.push(name!);
    }
    if (whole.length === 0) break;
  }
  if (open.length > 0) errors.push(`unclosed: ${open.join(', ')}`);
  if (roots !== 1) errors.push(`expected one root element, found ${roots}`);
  return errors;
}

const options: CostAccuracyChartOptions = {
  title: 'faq route: cost against accuracy',
  series: [
    {
      label: 'cascade, every threshold',
      points: [
        { costPer1kUsd: 2.2, accuracy: 0.6 },
        { costPer1kUsd: 6.2, accuracy: 0.8 },
        { costPer1kUsd: 4.2, accuracy: 0.7 },
        { costPer1kUsd: 11.2, accuracy: 0.8 },
      ],
    },
    {
      label: 'cascade on trivia',
      points: [
        { costPer1kUsd: 3.2, accuracy: 0.4 },
        { costPer1kUsd: 11.2, accuracy: 0.8 },
      ],
    },
  ],
  markers: [
    { label: 'cheap-only', costPer1kUsd: 1, accuracy: 0.5 },
    { label: 'flagship-only', costPer1kUsd: 10, accuracy: 0.8 },
    { label: 'cascade at 0.5', costPer1kUsd: 6.2, accuracy: 0.8 },
  ],
};

describe('wellFormednessErrors', () => {
  it.each([
    ['<a><b></a></b>', '</a> closes <b>'],
    ['<a>&</a>', 'bare & in text: &'],
    ['<a x=1/>', 'malformed tag at 0: <a x=1/>'],
    ['<a>', 'unclosed: a'],
    ['<a/><b/>', 'expected one root element, found 2'],
    ['<a>1 < 2</a>', 'malformed tag at 5: < 2</a>'],
  ])('finds the fault in %p', (xml, error) => {
    expect(wellFormednessErrors(xml)).toContain(error);
  });

  it('passes a well-formed document', () => {
    expect(wellFormednessErrors('<a x="1 &amp; 2"><b/>text &lt; more</a>\n')).toEqual([]);
  });
});

describe('renderCostAccuracyChart', () => {
  const svg = renderCostAccuracyChart(options);

  it('is a well-formed SVG document of 800 by 500', () => {
    expect(wellFormednessErrors(svg)).toEqual([]);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="800" height="500" viewBox="0 0 800 500"/,
    );
  });

  it('names the series and markers in the legend and carries the title', () => {
    for (const label of [
      'cascade, every threshold',
      'cascade on trivia',
      'cheap-only',
      'flagship-only',
      'cascade at 0.5',
    ]) {
      expect(svg).toContain(`>${label}</text>`);
    }
    expect(svg).toContain('<title>faq route: cost against accuracy</title>');
  });

  it('labels both axes and their ticks', () => {
    expect(svg).toContain('>Cost per 1,000 requests (USD)</text>');
    expect(svg).toContain('>Accuracy (%)</text>');
    // Costs run from $0 to $12.50 in steps of $2.50; accuracy from 30% to 90% in steps of 10%.
    for (const label of ['$0.00', '$2.50', '$12.50', '30%', '60%', '90%']) expect(svg).toContain(`>${label}</text>`);
    expect(svg).not.toContain('>$15.00</text>');
  });

  it('draws each series as a line through its points in order of cost', () => {
    const lines = [...svg.matchAll(/<polyline points="([^"]+)"/g)].map((match) => match[1]!);
    expect(lines).toHaveLength(2);
    const xs = lines[0]!.split(' ').map((pair) => Number(pair.split(',')[0]));
    expect(xs).toEqual([...xs].sort((left, right) => left - right));
    // $0 sits at the plot's left edge (80) and $12.50 at its right (564): $2.20 is 80 + 2.2 / 12.5 x 484.
    expect(xs[0]).toBeCloseTo(80 + (2.2 / 12.5) * 484, 1);
  });

  it('draws a marker per strategy, each a different shape', () => {
    expect(svg.match(/<circle [^>]*r="6"/g)).toHaveLength(2);
    expect(svg.match(/<rect x=[^>]*width="11"/g)).toHaveLength(2);
    expect(svg.match(/<path d="M[^"]*Z" fill="#E69F00"/g)).toHaveLength(2);
  });

  it('writes no number that is not one', () => {
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderCostAccuracyChart(options)).toBe(svg);
    expect(renderCostAccuracyChart(structuredClone(options))).toBe(svg);
  });

  it('escapes text, so labels cannot break the document', () => {
    const hostile = renderCostAccuracyChart({
      title: 'a <b> & "c"',
      series: [{ label: '</text><script>alert(1)</script>', points: [{ costPer1kUsd: 1, accuracy: 0.5 }] }],
    });
    expect(wellFormednessErrors(hostile)).toEqual([]);
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('<title>a &lt;b&gt; &amp; &quot;c&quot;</title>');
  });

  it('cuts long legend labels and keeps the full text as a tooltip', () => {
    const label = 'cascade on a subset with a very long name indeed';
    const chart = renderCostAccuracyChart({
      title: 't',
      series: [{ label, points: [{ costPer1kUsd: 1, accuracy: 0.5 }] }],
    });
    expect(chart).toContain(`<title>${label}</title>`);
    expect(chart).toContain('>cascade on a subset with…</text>');
  });

  it('renders axes for no data at all', () => {
    const empty = renderCostAccuracyChart({ title: 'nothing yet', series: [] });
    expect(wellFormednessErrors(empty)).toEqual([]);
    expect(empty).not.toMatch(/NaN|Infinity/);
  });

  it('rejects points it cannot place', () => {
    expect(() =>
      renderCostAccuracyChart({
        title: 't',
        series: [
          {
            label: 's',
            points: [
              { costPer1kUsd: 1, accuracy: 0.5 },
              { costPer1kUsd: Number.NaN, accuracy: 0.5 },
            ],
          },
        ],
      }),
    ).toThrow('renderCostAccuracyChart: series[0].points[1].costPer1kUsd must be a finite number, got NaN');
    expect(() =>
      renderCostAccuracyChart({ title: 't', series: [], markers: [{ label: 'm', costPer1kUsd: 1, accuracy: 72 }] }),
    ).toThrow('renderCostAccuracyChart: markers[0].accuracy must be a number from 0 to 1, got 72');
  });
});

describe('escapeXml', () => {
  it('escapes the five special characters and drops ones XML forbids', () => {
    expect(escapeXml(`<a href="x">Tom's & Jerry's</a>\u0001`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom&apos;s &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });
});
