import Table from 'cli-table3';

/** Options of `renderConsoleTable`. */
export interface ConsoleTableOptions {
  /** Column titles; omit for rows alone (a label and its value, say). @default none */
  header?: readonly string[];
  /** The cells, one array per row, as many as there are columns. */
  rows: ReadonlyArray<readonly string[]>;
  /** Indexes of the columns aligned right (figures); the others are aligned left. @default [] */
  rightAligned?: readonly number[];
  /** A rule of dashes under the header. @default false */
  headerRule?: boolean;
  /** Spaces between columns. @default 2 */
  columnGap?: number;
}

/**
 * A borderless table for a terminal: columns as wide as their widest cell, separated by spaces, with no
 * trailing spaces on a line.
 */
export function renderConsoleTable(options: ConsoleTableOptions): string {
  const gap = ' '.repeat(options.columnGap ?? 2);
  const rule = options.headerRule ? '-' : '';
  const columns = options.header?.length ?? options.rows[0]?.length ?? 0;
  const rightAligned = new Set(options.rightAligned ?? []);
  const table = new Table({
    ...(options.header ? { head: [...options.header] } : {}),
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: rule,
      'mid-mid': rule ? gap : '',
      right: '',
      'right-mid': '',
      middle: gap,
    },
    // Compact: a rule under the header only, none between rows; no colours, no padding inside cells.
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 0 },
    colAligns: Array.from({ length: columns }, (_unused, column) => (rightAligned.has(column) ? 'right' : 'left')),
  });
  table.push(...options.rows.map((row) => [...row]));
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
