import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const layers = JSON.parse(readFileSync(join(root, 'scripts', 'import-layers.json'), 'utf8')) as {
  layers: Array<{ folders: string[] }>;
};
const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { include: string[] };

describe('tsconfig.json', () => {
  it('compiles every folder of the layers, so a module loaded by path (not imported) still ships', () => {
    const folders = layers.layers.flatMap((layer) => layer.folders);
    expect(folders.filter((folder) => !tsconfig.include.includes(folder))).toEqual([]);
  });
});
