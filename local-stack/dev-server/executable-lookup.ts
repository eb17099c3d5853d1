import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Why a path cannot be run, or undefined if it can. */
export function describeUnusableExecutable(path: string): string | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return 'no such file';
  }
  if (!isFile) return 'not a regular file';
  try {
    accessSync(path, constants.X_OK);
  } catch {
    return 'not executable (chmod +x it)';
  }
  return undefined;
}

/** The first executable called `name` in the directories of `pathVariable` (a `PATH` value), if any. */
export function findExecutableOnPath(name: string, pathVariable: string | undefined): string | undefined {
  for (const directory of (pathVariable ?? '').split(delimiter)) {
    if (!directory || !isAbsolute(directory)) continue;
    const candidate = join(directory, name);
    if (describeUnusableExecutable(candidate) === undefined) return candidate;
  }
  return undefined;
}
