import { Resvg } from '@resvg/resvg-js';
import { costAccuracyChartSpec, type CostAccuracyChartOptions } from './cost-accuracy-chart';
import { renderChartSvg } from './render-chart';

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
      label: 'cascade on a subset whose name is far longer than the old legend had room for',
      points: [
        { costPer1kUsd: 3.2, accuracy: 0.4 },
        { costPer1kUsd: 11.2, accuracy: 0.8 },
      ],
    },
  ],
  markers: [
    // The cascade at this threshold escalates nothing, so it lands exactly on cheap-only.
    { label: 'cheap-only', costPer1kUsd: 1, accuracy: 0.5 },
    { label: 'flagship-only', costPer1kUsd: 10, accuracy: 0.8 },
    { label: 'cascade at 0.99', costPer1kUsd: 1, accuracy: 0.5 },
  ],
};

/** The attributes of each point (a `<path>`) whose screen-reader label starts with `label:`, in drawing order. */
function pointsLabelled(svg: string, label: string): Array<Record<string, string>> {
  return [...svg.matchAll(/<path ([^>]*)\/>/g)]
    .map((match) =>
      Object.fromEntries([...match[1]!.matchAll(/([\w-]+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]])),
    )
    .filter(
      (attributes) =>
        attributes['aria-roledescription'] === 'point' && attributes['aria-label']?.startsWith(`${label}:`),
    );
}

/** How far a symbol's outline reaches from its centre, read from its path. */
function reach(path: string): number {
  return Math.max(...[...path.matchAll(/-?\d+(?:\.\d+)?/g)].map((number) => Math.abs(Number(number[0]))));
}

function sizeOf(svg: string): { width: number; height: number } {
  const [, width, height] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(width), height: Number(height) };
}

describe('costAccuracyChartSpec drawn by renderChartSvg', () => {
  let svg: string;
  beforeAll(async () => {
    svg = await renderChartSvg(costAccuracyChartSpec(options));
  });

  it('is a standalone SVG document with the title, both axes and a legend entry for every curve and strategy', () => {
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    for (const text of [
      'faq route: cost against accuracy',
      'Cost per 1,000 requests (USD)',
      'Accuracy',
      'curve',
      'strategy',
      'cascade, every threshold',
      'cheap-only',
      'flagship-only',
      'cascade at 0.99',
      '$0.00',
      '$12.00',
      '40%',
      '80%',
    ])
      expect(svg).toContain(`>${text}</text>`);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('draws each curve as a line through its points', () => {
    expect(svg.match(/aria-roledescription="line mark"/g)).toHaveLength(2);
    expect(pointsLabelled(svg, 'cascade, every threshold')).toHaveLength(4);
  });

  it('draws every strategy as a hollow marker of its own shape and colour, over the lines', () => {
    const markers = ['cheap-only', 'flagship-only', 'cascade at 0.99'].map((label) => {
      const found = pointsLabelled(svg, label);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(new Set(markers.map((marker) => marker.d!.replace(/[\d.-]+/g, '#'))).size).toBe(3);
    expect(new Set(markers.map((marker) => marker.stroke)).size).toBe(3);
    for (const marker of markers) expect(marker.fill).toBeUndefined();
    // Later in the document is drawn later, that is on top.
    const lastLine = svg.lastIndexOf('aria-roledescription="line mark"');
    for (const marker of markers) expect(svg.indexOf(`aria-label="${marker['aria-label']}"`)).toBeGreaterThan(lastLine);
  });

  it('keeps a strategy that lands on another visible: the later one is drawn inside the earlier', () => {
    const [cheapOnly] = pointsLabelled(svg, 'cheap-only');
    const [cascade] = pointsLabelled(svg, 'cascade at 0.99');
    expect(cascade!.transform).toBe(cheapOnly!.transform);
    expect(svg.indexOf(cascade!['aria-label']!)).toBeGreaterThan(svg.indexOf(cheapOnly!['aria-label']!));
    expect(reach(cascade!.d!)).toBeLessThan(reach(cheapOnly!.d!) - 2);
  });

  it('writes legend labels whole and sizes the view so that all text, drawn in the PNG font, fits', () => {
    expect(svg).toContain('>cascade on a subset whose name is far longer than the old legend had room for</text>');
    expect(svg).not.toContain('…');
    // Only the text left, drawn by resvg with the PNG's font, must lie inside the document.
    const textOnly = svg.replace(/<(path|line|rect)\b[^>]*\/>/g, '');
    const bounds = new Resvg(textOnly, {
      font: { fontFiles: [require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')], loadSystemFonts: false },
    }).getBBox()!;
    const { width, height } = sizeOf(svg);
    expect(bounds.width).toBeGreaterThan(500);
    expect(bounds.x).toBeGreaterThanOrEqual(0);
    expect(bounds.y).toBeGreaterThanOrEqual(0);
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(width);
    expect(bounds.y + bounds.height).toBeLessThanOrEqual(height);
  });

  it('gives the same bytes for the same input', async () => {
    expect(await renderChartSvg(costAccuracyChartSpec(structuredClone(options)))).toBe(svg);
  });

  it('escapes text, so labels cannot break the document', async () => {
    const hostile = await renderChartSvg(
      costAccuracyChartSpec({
        title: 'a <b> & "c"',
        series: [{ label: '</text><script>alert(1)</script>', points: [{ costPer1kUsd: 1, accuracy: 0.5 }] }],
      }),
    );
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('>a &lt;b&gt; &amp; "c"</text>');
  });

  it('draws axes for no data at all', async () => {
    const empty = await renderChartSvg(costAccuracyChartSpec({ title: 'nothing yet', series: [] }));
    expect(empty).toContain('>nothing yet</text>');
    expect(empty).toContain('>Cost per 1,000 requests (USD)</text>');
    expect(empty).toContain('>$1.00</text>');
    expect(empty).toContain('>100%</text>');
    expect(empty).not.toMatch(/NaN|Infinity/);
  });
});

describe('costAccuracyChartSpec', () => {
  it('rejects points it cannot place', () => {
    expect(() =>
      costAccuracyChartSpec({
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
    ).toThrow('costAccuracyChartSpec: series[0].points[1].costPer1kUsd must be a finite number, got NaN');
    expect(() =>
      costAccuracyChartSpec({ title: 't', series: [], markers: [{ label: 'm', costPer1kUsd: 1, accuracy: 72 }] }),
    ).toThrow('costAccuracyChartSpec: markers[0].accuracy must be a number from 0 to 1, got 72');
  });
});
