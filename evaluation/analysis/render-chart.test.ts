import { costAccuracyChartSpec } from './cost-accuracy-chart';
import { renderChartPng, renderChartSvg, svgToPng } from './render-chart';

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG's size from its header: the signature, then the IHDR chunk with width and height. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(pngSignature);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const [, width, height] = /^<svg [^>]*width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(width), height: Number(height) };
}

const spec = costAccuracyChartSpec({
  title: 'exam-qa · gpt-4o-mini → gpt-4o',
  series: [
    {
      label: 'cascade, every threshold',
      points: [
        { costPer1kUsd: 0.4, accuracy: 0.71 },
        { costPer1kUsd: 3.1, accuracy: 0.84 },
      ],
    },
  ],
  markers: [
    { label: 'cheap-only', costPer1kUsd: 0.4, accuracy: 0.71 },
    { label: 'flagship-only', costPer1kUsd: 5.2, accuracy: 0.86 },
  ],
});

describe('renderChartPng', () => {
  it('draws the chart as a PNG twice the size of its SVG, or at the scale asked for', async () => {
    const svg = await renderChartSvg(spec);
    const { width, height } = svgSize(svg);
    expect(width).toBeGreaterThan(560);
    expect(height).toBeGreaterThan(360);
    expect(pngSize(await renderChartPng(spec))).toEqual({ width: width * 2, height: height * 2 });
    expect(pngSize(await renderChartPng(spec, { scale: 1 }))).toEqual({ width, height });
  });
});

describe('svgToPng', () => {
  const page = (text: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="#fff"/>` +
    `<text x="10" y="26" font-family="sans-serif" font-size="16">${text}</text></svg>`;

  it("draws text in the font it ships, without the machine's fonts", () => {
    const blank = svgToPng(page(''));
    const written = svgToPng(page('cheap-only → flagship'));
    expect(pngSize(written)).toEqual({ width: 400, height: 80 });
    // Without a font resvg drops text, and the two images would be the same.
    expect(written.equals(blank)).toBe(false);
    expect(svgToPng(page('cheap-only'))).not.toEqual(svgToPng(page('flagship-only')));
  });

  it('rejects a scale that is not a positive number', () => {
    expect(() => svgToPng(page('x'), { scale: 0 })).toThrow('svgToPng: scale must be a positive finite number, got 0');
  });
});
