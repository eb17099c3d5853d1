/**
 * Holds the project's imports against its floor plan (scripts/import-layers.json): lists every import that
 * runs from a lower layer up to a higher one, and every circle of files that import each other. Exits 1 when
 * there is any.
 *
 *   npx tsx scripts/check-import-layers.ts [--root DIR] [--layers FILE] [--formerly]
 *
 * `--formerly` reads each layer's folders from its `formerly` list: the folders before the regrouping, to
 * measure an older checkout (`--root`) against the same floor plan.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkImportLayers, type ImportLayer } from './import-graph';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: join(__dirname, '..') },
    layers: { type: 'string', default: join(__dirname, 'import-layers.json') },
    formerly: { type: 'boolean', default: false },
  },
});
const planned = (
  JSON.parse(readFileSync(values.layers, 'utf8')) as { layers: Array<ImportLayer & { formerly?: string[] }> }
).layers;
const layers: ImportLayer[] = planned.map((layer) => ({
  name: layer.name,
  folders: values.formerly ? (layer.formerly ?? layer.folders) : layer.folders,
}));
const report = checkImportLayers(resolve(values.root), layers);

console.log(`${report.files} files, ${report.edges.length} imports between them`);
console.log(`${report.upward.length} imports run upward (from a lower layer to a higher one)`);
for (const edge of report.upward) console.log(`  ${edge.from} -> ${edge.to}   (${edge.fromLayer} -> ${edge.toLayer})`);
console.log(`${report.circles.length} circles of files that import each other`);
for (const circle of report.circles) console.log(`  ${circle.join(', ')}`);
if (report.unplaced.length > 0)
  console.log(`${report.unplaced.length} files in no layer: ${report.unplaced.join(', ')}`);
process.exitCode = report.upward.length + report.circles.length + report.unplaced.length > 0 ? 1 : 0;
