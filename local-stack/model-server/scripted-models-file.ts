import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InvalidModelSpecError, parseScriptedModelSpecs, type ScriptedModelSpec } from './scripted-model-spec';

/**
 * Reads scripted model specs from a YAML (or JSON) file holding `models: [...]` (or the bare list).
 * Throws an `InvalidModelSpecError` naming the file and each bad field.
 */
export async function loadScriptedModelsFile(path: string): Promise<ScriptedModelSpec[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidModelSpecError({
      message: `${path}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      cause: error,
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new InvalidModelSpecError({
      message: `${path}: not valid YAML or JSON: ${(error as Error).message}`,
      cause: error,
    });
  }
  const list =
    typeof document === 'object' && document !== null && !Array.isArray(document) && 'models' in document
      ? document.models
      : document;
  return parseScriptedModelSpecs(list, { source: path });
}
