import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One layer of the floor plan: the folders (or root files) it holds. */
export interface ImportLayer {
  name: string;
  folders: string[];
}

/** An import from one project file to another, both relative to the root, `/`-separated. */
export interface ImportEdge {
  from: string;
  to: string;
}

/** An import that runs from a lower layer up to a higher one. */
export interface UpwardImport extends ImportEdge {
  fromLayer: string;
  toLayer: string;
}

export interface ImportGraphReport {
  files: number;
  edges: ImportEdge[];
  /** Imports from a lower layer to a higher one (tests and fixtures are not counted as importers). */
  upward: UpwardImport[];
  /** Files that import each other in a loop, each circle listed once. */
  circles: string[][];
  /** Project files in no layer. */
  unplaced: string[];
}

const skippedDirectories = new Set(['node_modules', 'dist', '.git', 'coverage']);

/** True for files that only tests use: they may import from any layer. */
function isTestFile(path: string): boolean {
  return /\.test\.ts$|\.fixture\.ts$/.test(path) || path.split('/').includes('fixtures') || path.startsWith('test/');
}

function listTypeScriptFiles(root: string, directory = root): string[] {
  const files: string[] = [];
  for (const name of readdirSync(directory)) {
    if (skippedDirectories.has(name) || name.startsWith('.')) continue;
    const path = join(directory, name);
    if (statSync(path).isDirectory()) files.push(...listTypeScriptFiles(root, path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(relative(root, path).split(sep).join('/'));
  }
  return files;
}

function resolveSpecifier(root: string, fromFile: string, specifier: string, known: Set<string>): string | undefined {
  const base = relative(root, resolve(root, dirname(fromFile), specifier))
    .split(sep)
    .join('/');
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) if (known.has(candidate)) return candidate;
  return undefined;
}

/** Every relative import between the project's TypeScript files under `root` (type-only imports too). */
function readImportEdges(root: string): { files: string[]; edges: ImportEdge[] } {
  const files = listTypeScriptFiles(root);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolveSpecifier(root, file, fileName, known);
      if (target !== undefined && target !== file) edges.push({ from: file, to: target });
    }
  }
  return { files, edges };
}

/** The index of the layer that holds `file`, by its first folder (or its own name at the root). */
function layerIndexOf(layers: readonly ImportLayer[], file: string): number {
  const room = file.split('/')[0];
  return layers.findIndex((layer) => layer.folders.includes(room));
}

/** Strongly connected groups of more than one file (Tarjan), each sorted, in a stable order. */
export function findCircles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of next.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) circles.push(group.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return circles.sort((a, b) => a[0].localeCompare(b[0]));
}

/** Reads the imports under `root` and holds them against `layers`. */
export function checkImportLayers(root: string, layers: readonly ImportLayer[]): ImportGraphReport {
  const { files, edges } = readImportEdges(root);
  const upward: UpwardImport[] = [];
  for (const edge of edges) {
    if (isTestFile(edge.from)) continue;
    const fromIndex = layerIndexOf(layers, edge.from);
    const toIndex = layerIndexOf(layers, edge.to);
    if (fromIndex >= 0 && toIndex > fromIndex) {
      upward.push({ ...edge, fromLayer: layers[fromIndex].name, toLayer: layers[toIndex].name });
    }
  }
  const productEdges = edges.filter((edge) => !isTestFile(edge.from) && !isTestFile(edge.to));
  const unplaced = files.filter((file) => !isTestFile(file) && layerIndexOf(layers, file) < 0);
  return { files: files.length, edges, upward, circles: findCircles(productEdges), unplaced };
}
