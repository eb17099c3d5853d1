import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

/** Options of `renderChartPng`. */
export interface ChartPngOptions {
  /** Pixels per SVG unit: 2 gives a sharp image on high-density screens. @default 2 */
  scale?: number;
}

// The PNG's text is drawn in a font that ships with the package (the `dejavu-fonts-ttf` dependency), not in
// the machine's fonts: text renders where there are none (a slim container), and the image is the same everywhere.
const fontFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  require.resolve(`dejavu-fonts-ttf/ttf/${file}`),
);
const fontFamily = 'DejaVu Sans';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');
let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

/**
 * Vega and Vega-Lite, loaded once. They are ECMAScript modules whose graph awaits at its top level, which
 * `require` cannot load, so they come in by `import()`: one after the other, since Vega-Lite imports Vega
 * and jest's module loader cannot link one module graph for two imports at once.
 */
function loadLibraries(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  libraries ??= (async () => {
    const vega = await import('vega');
    const vegaLite = await import('vega-lite');
    return { vega, vegaLite };
  })();
  return libraries;
}

/**
 * A Vega-Lite chart as a standalone SVG document, laid out and drawn by Vega without a browser. The same
 * specification gives the same bytes.
 */
export async function renderChartSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadLibraries();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A Vega-Lite chart as a PNG image: its SVG drawn by resvg, the text in DejaVu Sans. */
export async function renderChartPng(spec: TopLevelSpec, options: ChartPngOptions = {}): Promise<Buffer> {
  return svgToPng(await renderChartSvg(spec), options);
}

/**
 * An SVG document as a PNG image, `scale` pixels per unit.
 *
 * @throws RangeError when `scale` is not a positive finite number.
 */
export function svgToPng(svg: string, options: ChartPngOptions = {}): Buffer {
  const scale = options.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0))
    throw new RangeError(`svgToPng: scale must be a positive finite number, got ${scale}`);
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles,
      loadSystemFonts: false,
      defaultFontFamily: fontFamily,
      sansSerifFamily: fontFamily,
    },
    logLevel: 'off',
  });
  return renderer.render().asPng();
}
