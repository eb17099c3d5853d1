import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { CascadeError } from '../../contracts/cascade-error';
import { failureTypes } from '../../contracts/failure-types';
import { renderChartPng, renderChartSvg } from './render-chart';

/** The image formats a chart file can be written in, named by the file's extension. */
export const chartFormats = ['svg', 'png'] as const;
export type ChartFormat = (typeof chartFormats)[number];

/** A chart file's name does not end in an extension of a format charts are written in. */
export class ChartFormatError extends CascadeError {
  declare readonly type: typeof failureTypes.unsupportedChartFormat;
  override readonly name = 'ChartFormatError';

  constructor(options: { message: string }) {
    super({ ...options, type: failureTypes.unsupportedChartFormat });
  }
}

/**
 * The format of a chart file, from its extension (`.svg` or `.png`, in any case).
 *
 * @throws ChartFormatError naming the path and the formats there are.
 */
export function chartFormatOf(path: string): ChartFormat {
  const extension = extname(path).slice(1).toLowerCase();
  const format = chartFormats.find((candidate) => candidate === extension);
  if (format === undefined) {
    throw new ChartFormatError({
      message: `a chart file must end in ${chartFormats.map((candidate) => `.${candidate}`).join(' or ')}, got ${JSON.stringify(path)}`,
    });
  }
  return format;
}

/**
 * Draws a chart into a file, as an SVG document or a PNG image by the file's extension.
 *
 * @throws ChartFormatError when the extension names neither format; nothing is written then.
 */
export async function writeChartFile(options: { path: string; spec: TopLevelSpec }): Promise<ChartFormat> {
  const format = chartFormatOf(options.path);
  writeFileSync(
    options.path,
    format === 'png' ? await renderChartPng(options.spec) : await renderChartSvg(options.spec),
  );
  return format;
}
