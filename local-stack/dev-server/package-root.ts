import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of this package's `package.json`: the project root in a source checkout (`cli/x.ts`) and in an
 * installed package (`dist/cli/x.js`) alike, so files shipped beside the code (`local-stack/demo/`, templates) are found
 * from either.
 *
 * @throws Error when no `package.json` is found above `from`.
 */
export function packageRoot(from: string = __dirname): string {
  for (let directory = from; ; directory = dirname(directory)) {
    if (existsSync(join(directory, 'package.json'))) return directory;
    if (dirname(directory) === directory) throw new Error(`no package.json above ${from}`);
  }
}
