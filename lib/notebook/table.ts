// Table formatting for notebook and terminal output: rows or an arquero table to aligned text and to HTML
// (reads arquero tables through their public columnNames/objects/numRows API, without importing arquero).

/** One table row: column name to value. */
export type Row = Record<string, unknown>;

/** The part of an arquero table (or anything alike) that tables need. */
export interface TableLike {
  columnNames(): string[];
  numRows(): number;
  objects(options?: { limit?: number }): object[];
}

/** How tables are formatted. */
export interface TableFormatOptions {
  /** Rows shown; the rest are counted in a footer. Default 50. */
  maxRows?: number;
  /** Decimals for non-integer numbers. Default 4. */
  digits?: number;
  /** Columns to show, in order. Default: all (first-seen order across rows). */
  columns?: string[];
  /** Optional caption (HTML caption, first text line). */
  caption?: string;
}

/** The table's cells as strings, ready for text or HTML. */
export interface FormattedTable {
  columns: string[];
  /** Formatted cells, `rows[i][j]` for column `columns[j]`. */
  rows: string[][];
  /** Whether each column holds only numbers (right-aligned). */
  numeric: boolean[];
  totalRows: number;
  caption?: string;
}

/** True for arquero tables and other objects with columnNames/numRows/objects methods. */
export function isTableLike(x: unknown): x is TableLike {
  const t = x as Partial<TableLike> | null;
  return !!t && typeof t.columnNames === 'function' && typeof t.numRows === 'function' && typeof t.objects === 'function';
}

/** Formats one value: fixed decimals, exponent for tiny/huge numbers, '' for null/undefined, JSON for objects. */
export function formatCell(value: unknown, digits = 4): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
    const a = Math.abs(value);
    return a < 10 ** -digits || a >= 1e6 ? value.toExponential(Math.max(1, digits - 1)) : value.toFixed(digits);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? String(value);
}

/** Reads rows or a table-like into formatted string cells. */
export function formatTable(table: readonly Row[] | TableLike, options: TableFormatOptions = {}): FormattedTable {
  const maxRows = options.maxRows ?? 50;
  const digits = options.digits ?? 4;
  let rows: Row[];
  let totalRows: number;
  let columns: string[];
  if (isTableLike(table)) {
    totalRows = table.numRows();
    rows = table.objects({ limit: maxRows }) as Row[];
    columns = options.columns ?? table.columnNames();
  } else {
    totalRows = table.length;
    rows = table.slice(0, maxRows);
    const seen = new Set<string>();
    for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
    columns = options.columns ?? [...seen];
  }
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === undefined || r[c] === null || typeof r[c] === 'number'));
  return {
    columns,
    rows: rows.map((r) => columns.map((c) => formatCell(r[c], digits))),
    numeric,
    totalRows,
    caption: options.caption,
  };
}

/** Aligned plain-text table (numbers right-aligned), with a `... N more rows` footer when truncated. */
export function tableToText(t: FormattedTable): string {
  const widths = t.columns.map((c, j) => Math.max(c.length, ...t.rows.map((r) => r[j]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((s, j) => (t.numeric[j] ? s.padStart(widths[j]!) : s.padEnd(widths[j]!)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (t.caption) out.push(t.caption);
  out.push(line(t.columns), widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of t.rows) out.push(line(r));
  if (t.totalRows > t.rows.length) out.push(`... ${t.totalRows - t.rows.length} more rows (${t.totalRows} total)`);
  return out.join('\n');
}

/** Escapes text for HTML content and attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** HTML table (Jupyter styles `<table>` itself), with a footer when truncated. */
export function tableToHtml(t: FormattedTable): string {
  const align = (j: number): string => (t.numeric[j] ? ' style="text-align:right"' : '');
  const head = t.columns.map((c, j) => `<th${align(j)}>${escapeHtml(c)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((s, j) => `<td${align(j)}>${escapeHtml(s)}</td>`).join('')}</tr>`).join('\n');
  const caption = t.caption ? `<caption>${escapeHtml(t.caption)}</caption>` : '';
  const more = t.totalRows > t.rows.length ? `\n<p>... ${t.totalRows - t.rows.length} more rows (${t.totalRows} total)</p>` : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>${more}`;
}
