import { Document, isMap, isSeq, parseDocument } from 'yaml';
import type { GateSpec } from '../../contracts/cascade/gate-spec';
import { applyTuningToGate, type GateTuning } from './apply-tuning-to-gate';
import { ConfigurationError } from '../../config/configuration-error';

export interface RewriteRouteGateOptions {
  /** The routes file's text (YAML or JSON). */
  text: string;
  /** Where the text came from, for error messages. */
  source: string;
  route: string;
  tuning: GateTuning;
}

/**
 * The routes file with one route's gate tuned by `applyTuningToGate`. The gate is read as the file
 * writes it (judge models by name, `${NAME}` unexpanded) and only the values the tuning changes are
 * written, through the YAML document, so comments, layout and the other routes stay as they are.
 *
 * @throws ConfigurationError when the route or its gate is not in the file; TuningError from `applyTuningToGate`.
 */
export function rewriteRouteGate(options: RewriteRouteGateOptions): string {
  const document = parseDocument(options.text);
  if (document.errors.length > 0)
    throw new ConfigurationError({
      message: `${options.source}: not valid YAML or JSON: ${document.errors[0]!.message}`,
    });
  const gatePath = ['routes', options.route, 'gate'];
  const gateNode = document.getIn(gatePath, true);
  if (!isMap(gateNode))
    throw new ConfigurationError({ message: `${options.source}: routes.${options.route}.gate is not in the file` });
  const gate = gateNode.toJSON() as GateSpec;
  const [start, , nodeEnd] = gateNode.range ?? [];
  if (start === undefined || nodeEnd === undefined)
    throw new ConfigurationError({
      message: `${options.source}: routes.${options.route}.gate has no position in the file`,
    });
  // A node's range runs into the indentation of the line after it: stop at that line's start.
  const lastLineStart = options.text.lastIndexOf('\n', nodeEnd - 1) + 1;
  const end =
    lastLineStart > start && options.text.slice(lastLineStart, nodeEnd).trim() === '' ? lastLineStart : nodeEnd;
  writeChanges(document, gatePath, gate, applyTuningToGate(gate, options.tuning));
  // Only the gate's own text is replaced: the YAML library cannot write every other line exactly as it
  // was (`[a, b]` and `{ a: b }` share one padding setting), and the rest of the file must not move.
  const gateText = new Document(gateNode).toString({ lineWidth: 0 }).trimEnd();
  const column = start - (options.text.lastIndexOf('\n', start - 1) + 1);
  const indented = gateText.replace(/\n/g, `\n${' '.repeat(column)}`);
  const replaced = options.text.slice(start, end);
  return `${options.text.slice(0, start)}${indented}${replaced.endsWith('\n') ? '\n' : ''}${options.text.slice(end)}`;
}

/** Sets the values of `after` that differ from `before`, descending into maps and equal-length lists. */
function writeChanges(document: Document, path: readonly (string | number)[], before: unknown, after: unknown): void {
  if (sameValue(before, after)) return;
  const node = document.getIn(path, true);
  if (isPlainObject(before) && isPlainObject(after) && isMap(node)) {
    for (const key of Object.keys(before)) if (!(key in after)) document.deleteIn([...path, key]);
    for (const [key, value] of Object.entries(after)) writeChanges(document, [...path, key], before[key], value);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && isSeq(node)) {
    after.forEach((value, index) => writeChanges(document, [...path, index], before[index], value));
    return;
  }
  document.setIn(path, newNode(document, after));
}

/** A new node; lists of numbers (a calibration's `[x, p]` points) are written on one line each. */
function newNode(document: Document, value: unknown) {
  const node = document.createNode(value);
  const flowNumberLists = (current: unknown) => {
    if (isSeq(current) && current.items.every((item) => typeof (item as { value?: unknown }).value === 'number'))
      current.flow = true;
    if (isSeq(current) || isMap(current))
      for (const item of current.items) flowNumberLists(isMap(current) ? (item as { value: unknown }).value : item);
  };
  flowNumberLists(node);
  return node;
}

function sameValue(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
