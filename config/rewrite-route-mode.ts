import { isMap, isScalar, parseDocument, Scalar, type Pair, type YAMLMap } from 'yaml';
import { routeModes, type RouteMode } from '../contracts/cascade/route-policy';
import { ConfigurationError } from './configuration-error';

export interface RewriteRouteModeOptions {
  /** The routes file's text (YAML or JSON). */
  text: string;
  /** Where the text came from, for error messages. */
  source: string;
  route: string;
  /** `flagship-only` writes `mode: flagship-only` into the route; `cascade` removes its `mode` key. */
  mode: RouteMode;
}

/**
 * The routes file with one route's `mode` set: `flagship-only` is written as the route's first key (or
 * replaces the value of a `mode` it has), `cascade` removes the key, which is what a cascade route
 * writes. The route's cheap tier and gate stay, so switching back is this same call. Only the `mode`
 * line (or, in a flow map or JSON, the `mode` entry) changes: comments, layout and the other routes
 * stay as they are, and a file that already says so comes back unchanged.
 *
 * @throws ConfigurationError when the text does not parse or the route is not a map in the file.
 */
export function rewriteRouteMode(options: RewriteRouteModeOptions): string {
  if (!(routeModes as readonly string[]).includes(options.mode)) {
    throw new ConfigurationError({
      message: `${options.source}: routes.${options.route}.mode: must be one of ${routeModes.join(', ')}, got ${JSON.stringify(options.mode)}`,
    });
  }
  const document = parseDocument(options.text);
  if (document.errors.length > 0)
    throw new ConfigurationError({
      message: `${options.source}: not valid YAML or JSON: ${document.errors[0]!.message}`,
    });
  const routeNode = document.getIn(['routes', options.route], true);
  if (!isMap(routeNode)) {
    const routes = document.getIn(['routes'], true);
    const known = isMap(routes)
      ? routes.items.flatMap((pair) => (isScalar(pair.key) ? [String(pair.key.value)] : []))
      : [];
    throw new ConfigurationError({
      message: `${options.source}: routes.${options.route} is not in the file (its routes: ${known.join(', ') || 'none'})`,
    });
  }
  const modePair = routeNode.items.find((pair) => isScalar(pair.key) && pair.key.value === 'mode');
  const rewritten =
    options.mode === 'flagship-only'
      ? modePair
        ? replaceValue(options.text, modePair, options.mode)
        : insertFirstEntry(options, routeNode, options.mode)
      : modePair
        ? removeEntry(options.text, routeNode, modePair)
        : options.text;
  checkRewritten(rewritten, options);
  return rewritten;
}

/** The value of `mode: ...` replaced in place, in the quotes it was written with. */
function replaceValue(text: string, pair: Pair, mode: RouteMode): string {
  const value = pair.value;
  if (!isScalar(value) || !value.range) throw new Error('the mode entry has no scalar value to replace');
  if (value.value === mode) return text;
  const [start, end] = value.range;
  return `${text.slice(0, start)}${scalarText(mode, value.type)}${text.slice(end)}`;
}

/** `mode: <mode>` before the route's first entry, on a line of its own when that entry starts its line. */
function insertFirstEntry(options: RewriteRouteModeOptions, routeNode: YAMLMap, mode: RouteMode): string {
  const { text } = options;
  const first = routeNode.items[0];
  const keyStart = isScalar(first?.key) ? first.key.range?.[0] : undefined;
  if (!first || keyStart === undefined)
    throw new ConfigurationError({
      message: `${options.source}: routes.${options.route} has no entries to put a mode before`,
    });
  // A JSON file gets JSON: quoted like the entry it goes before.
  const keyType = (first.key as Scalar).type;
  const entry = `${scalarText('mode', keyType)}: ${scalarText(mode, keyType)}${routeNode.flow ? ',' : ''}`;
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const indent = text.slice(lineStart, keyStart);
  if (indent.trim() !== '') return `${text.slice(0, keyStart)}${entry} ${text.slice(keyStart)}`;
  // Comment lines right above the first entry describe it: the mode goes above them.
  let insertAt = lineStart;
  while (insertAt > 0) {
    const previousStart = text.lastIndexOf('\n', insertAt - 2) + 1;
    const previous = text.slice(previousStart, insertAt - 1);
    if (!previous.trimStart().startsWith('#') || previous.length - previous.trimStart().length !== indent.length) break;
    insertAt = previousStart;
  }
  return `${text.slice(0, insertAt)}${indent}${entry}\n${text.slice(insertAt)}`;
}

/** The `mode` entry removed: its whole line when it has the line to itself, else the entry and its comma. */
function removeEntry(text: string, routeNode: YAMLMap, pair: Pair): string {
  const keyStart = (pair.key as Scalar).range?.[0];
  const valueEnd = isScalar(pair.value) ? pair.value.range?.[1] : undefined;
  if (keyStart === undefined || valueEnd === undefined) throw new Error('the mode entry has no position in the file');
  const commaAfter = routeNode.flow ? /^\s*,[ \t]*/.exec(text.slice(valueEnd)) : null;
  const end = valueEnd + (commaAfter?.[0].length ?? 0);
  // The last entry of a flow map has its comma before it, and that comma goes with it.
  const commaBefore = routeNode.flow && !commaAfter ? /,\s*$/.exec(text.slice(0, keyStart)) : null;
  const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const restOfLine = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  const ownLine =
    text.slice(lineStart, keyStart).trim() === '' &&
    (restOfLine.trim() === '' || restOfLine.trimStart().startsWith('#'));
  if (ownLine) {
    const before =
      commaBefore && commaBefore.index < lineStart
        ? `${text.slice(0, commaBefore.index)}${text.slice(commaBefore.index + 1, lineStart)}`
        : text.slice(0, lineStart);
    return `${before}${lineEnd === -1 ? '' : text.slice(lineEnd + 1)}`;
  }
  return `${text.slice(0, commaBefore ? commaBefore.index : keyStart)}${text.slice(end)}`;
}

function scalarText(value: string, type: Scalar['type']): string {
  if (type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  if (type === Scalar.QUOTE_SINGLE) return `'${value}'`;
  return value;
}

/** A text edit that went wrong must not reach a routes file: the result must say exactly what was asked. */
function checkRewritten(text: string, options: RewriteRouteModeOptions): void {
  const document = parseDocument(text);
  const mode = document.errors.length > 0 ? null : document.getIn(['routes', options.route, 'mode']);
  const expected = options.mode === 'cascade' ? undefined : options.mode;
  if (document.errors.length > 0 || mode !== expected) {
    throw new ConfigurationError({
      message: `${options.source}: could not write mode ${options.mode} into routes.${options.route} without changing the file's structure; set it by hand`,
    });
  }
}
