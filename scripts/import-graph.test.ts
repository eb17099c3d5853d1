import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkImportLayers, findCircles, type ImportLayer } from './import-graph';

const layers: ImportLayer[] = [
  { name: 'ground', folders: ['ground'] },
  { name: 'top', folders: ['top', 'index.ts'] },
];

describe('checkImportLayers', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'import-graph-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('names an import from a lower layer to a higher one, type-only imports too', () => {
    write('ground/a.ts', "import type { B } from '../top/b';\nexport const a = 1;\n");
    write('top/b.ts', "import { a } from '../ground/a';\nexport type B = typeof a;\n");
    write('index.ts', "export { a } from './ground/a';\n");
    const report = checkImportLayers(root, layers);
    expect(report.upward).toEqual([{ from: 'ground/a.ts', to: 'top/b.ts', fromLayer: 'ground', toLayer: 'top' }]);
    expect(report.edges).toHaveLength(3);
    expect(report.circles).toEqual([['ground/a.ts', 'top/b.ts']]);
  });

  it('resolves folder imports through index.ts and lets tests import from any layer', () => {
    write('top/index.ts', 'export const t = 1;\n');
    write('ground/a.ts', 'export const a = 1;\n');
    write('ground/a.test.ts', "import { t } from '../top';\nit('t', () => expect(t).toBe(1));\n");
    const report = checkImportLayers(root, layers);
    expect(report.edges).toEqual([{ from: 'ground/a.test.ts', to: 'top/index.ts' }]);
    expect(report.upward).toEqual([]);
  });

  it('lists files that no layer holds', () => {
    write('elsewhere/c.ts', 'export const c = 1;\n');
    expect(checkImportLayers(root, layers).unplaced).toEqual(['elsewhere/c.ts']);
  });
});

describe('findCircles', () => {
  it('finds each loop once, however long, and nothing in a tree', () => {
    const loop = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'c', to: 'd' },
    ];
    expect(findCircles(loop)).toEqual([['a', 'b', 'c']]);
    expect(
      findCircles([
        { from: 'a', to: 'b' },
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ]),
    ).toEqual([]);
  });
});
