import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartFormatOf, ChartFormatError, writeChartFile } from './chart-file';
import { costAccuracyChartSpec } from './cost-accuracy-chart';

const directory = mkdtempSync(join(tmpdir(), 'chart-file-'));
const spec = costAccuracyChartSpec({
  title: 'faq',
  series: [{ label: 'cascade, every threshold', points: [{ costPer1kUsd: 1, accuracy: 0.5 }] }],
  markers: [{ label: 'cheap-only', costPer1kUsd: 1, accuracy: 0.5 }],
});

describe('chartFormatOf', () => {
  it('reads the format from the extension, in any case', () => {
    expect(chartFormatOf('analysis-faq.svg')).toBe('svg');
    expect(chartFormatOf('/tmp/Curve.PNG')).toBe('png');
  });

  it('refuses any other extension with a stable type', () => {
    const refuse = (path: string) => () => chartFormatOf(path);
    expect(refuse('chart.pdf')).toThrow(ChartFormatError);
    expect(refuse('chart')).toThrow('a chart file must end in .svg or .png, got "chart"');
    expect(refuse('chart.jpg')).toThrow(expect.objectContaining({ type: 'UnsupportedChartFormat' }));
  });
});

describe('writeChartFile', () => {
  it('writes an SVG document or a PNG image by the extension', async () => {
    expect(await writeChartFile({ path: join(directory, 'chart.svg'), spec })).toBe('svg');
    expect(readFileSync(join(directory, 'chart.svg'), 'utf8')).toMatch(/^<svg [^>]*>.*>cheap-only<\/text>/s);
    expect(await writeChartFile({ path: join(directory, 'chart.png'), spec })).toBe('png');
    expect(readFileSync(join(directory, 'chart.png')).subarray(1, 4).toString('ascii')).toBe('PNG');
  });

  it('writes nothing for an extension it cannot draw', async () => {
    await expect(writeChartFile({ path: join(directory, 'chart.gif'), spec })).rejects.toThrow(ChartFormatError);
    expect(existsSync(join(directory, 'chart.gif'))).toBe(false);
  });
});
