/** A plain-text table for people: a header, aligned columns, numbers right-aligned. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (item: T) => string;
  readonly align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis. */
  readonly maxWidth?: number;
}

export function renderTable<T>(columns: readonly TableColumn<T>[], items: readonly T[]): string {
  const cells = items.map((item) => columns.map((column) => clip(column.value(item), column.maxWidth)));
  const widths = columns.map((column, index) =>
    Math.max(column.header.length, ...cells.map((row) => (row[index] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    columns
      .map((column, index) => {
        const cell = row[index] ?? '';
        const width = widths[index] ?? 0;
        return column.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n').concat('\n');
}

function clip(text: string, maxWidth: number | undefined): string {
  const flat = text.replaceAll(/\s+/g, ' ');
  if (maxWidth === undefined || flat.length <= maxWidth) return flat;
  return `${flat.slice(0, Math.max(0, maxWidth - 1))}…`;
}
