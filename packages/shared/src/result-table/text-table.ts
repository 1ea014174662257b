import stringWidth from 'string-width';

/** A plain-text table for people: a header, aligned columns, numbers right-aligned. */
export interface TableColumn<T> {
  readonly header: string;
  readonly value: (item: T) => string;
  readonly align?: 'left' | 'right';
  /** Longer cells are always cut to this width. */
  readonly maxWidth?: number;
  /** To fit a narrow terminal the column may shrink to this width (never below its header); absent: it never shrinks. */
  readonly minWidth?: number;
  /** Columns with lower numbers shrink first. */
  readonly shrinkOrder?: number;
  /** When even the narrowest columns do not fit, columns with a dropOrder are left out, lowest first. */
  readonly dropOrder?: number;
  /** Where a cut cell gets its ellipsis: the end (messages), or the middle (names and ids, whose ends tell them apart). */
  readonly cut?: 'end' | 'middle';
}

export interface TableOptions {
  /** Fit the table into this many characters, e.g. the terminal's width; unlimited when absent. */
  readonly width?: number | undefined;
}

const gap = '  ';
const ellipsis = '…';

export function renderTable<T>(
  columns: readonly TableColumn<T>[],
  items: readonly T[],
  options: TableOptions = {},
): string {
  const cells = items.map((item) => columns.map((column) => flatten(column.value(item))));
  const natural = columns.map((column, index) =>
    Math.min(
      column.maxWidth ?? Number.POSITIVE_INFINITY,
      Math.max(stringWidth(column.header), ...cells.map((row) => stringWidth(row[index] ?? ''))),
    ),
  );
  const layout = fitColumns(columns, natural, options.width);
  const line = (row: readonly string[]) =>
    layout
      .map(({ index, width }) => {
        const column = columns[index];
        const text = cut(row[index] ?? '', width, column?.cut ?? 'end');
        const padding = ' '.repeat(Math.max(0, width - stringWidth(text)));
        return column?.align === 'right' ? `${padding}${text}` : `${text}${padding}`;
      })
      .join(gap)
      .trimEnd();
  return [line(columns.map((column) => column.header)), ...cells.map(line)].join('\n').concat('\n');
}

interface ColumnLayout {
  readonly index: number;
  readonly width: number;
}

/**
 * Which columns to show and how wide: every column at its natural width when it fits; otherwise the
 * droppable columns go (lowest dropOrder first) until the rest fit at their narrowest, and then the
 * shrinkable ones give up width (lowest shrinkOrder first), just enough to fit.
 */
function fitColumns<T>(
  columns: readonly TableColumn<T>[],
  natural: readonly number[],
  width: number | undefined,
): ColumnLayout[] {
  const widths = [...natural];
  let visible = columns.map((_, index) => index);
  if (width === undefined) return visible.map((index) => ({ index, width: widths[index] ?? 0 }));

  const narrowest = (index: number) => {
    const column = columns[index];
    if (column?.minWidth === undefined) return widths[index] ?? 0;
    return Math.min(widths[index] ?? 0, Math.max(column.minWidth, stringWidth(column.header)));
  };
  const total = (indexes: readonly number[], widthOf: (index: number) => number) =>
    indexes.reduce((sum, index) => sum + widthOf(index), 0) + gap.length * Math.max(0, indexes.length - 1);

  const droppable = visible
    .filter((index) => columns[index]?.dropOrder !== undefined)
    .sort((a, b) => (columns[a]?.dropOrder ?? 0) - (columns[b]?.dropOrder ?? 0));
  for (const index of droppable) {
    if (total(visible, narrowest) <= width) break;
    visible = visible.filter((candidate) => candidate !== index);
  }

  const shrinkable = visible
    .filter((index) => columns[index]?.minWidth !== undefined)
    .sort((a, b) => (columns[a]?.shrinkOrder ?? 0) - (columns[b]?.shrinkOrder ?? 0));
  for (const index of shrinkable) {
    const excess = total(visible, (i) => widths[i] ?? 0) - width;
    if (excess <= 0) break;
    widths[index] = Math.max(narrowest(index), (widths[index] ?? 0) - excess);
  }
  return visible.map((index) => ({ index, width: widths[index] ?? 0 }));
}

function flatten(text: string): string {
  return text.replaceAll(/\s+/g, ' ');
}

/** The text cut to `width` display columns with an ellipsis, by whole characters (graphemes). */
export function cut(text: string, width: number, where: 'end' | 'middle' = 'end'): string {
  if (stringWidth(text) <= width) return text;
  if (width <= 1) return ellipsis.slice(0, width);
  const graphemes = [...new Intl.Segmenter().segment(text)].map((part) => part.segment);
  const room = width - 1;
  if (where === 'end') return `${take(graphemes, room).join('')}${ellipsis}`;
  const tailRoom = Math.floor(room / 2);
  const head = take(graphemes, room - tailRoom);
  const tail = take(graphemes.toReversed(), tailRoom).reverse();
  return `${head.join('')}${ellipsis}${tail.join('')}`;
}

/** The first graphemes that fit in `room` display columns. */
function take(graphemes: readonly string[], room: number): string[] {
  const taken: string[] = [];
  let used = 0;
  for (const grapheme of graphemes) {
    const size = stringWidth(grapheme);
    if (used + size > room) break;
    taken.push(grapheme);
    used += size;
  }
  return taken;
}
