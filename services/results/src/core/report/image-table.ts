import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { s3Uri } from '@photo-pipeline/shared/result-table';
import { formatCount, formatMs, formatPercent } from '../format/formats.ts';
import type { ImageThumbnails, Thumbnail } from '../results-ports.ts';
import { escapeHtml } from './html-escape.ts';

export interface ImageTableInput {
  /** Every row of the report, in upload order. */
  readonly rows: readonly ResultRow[];
  readonly thumbnails: ReadonlyMap<string, ImageThumbnails>;
  /** The full-size processed image of each image that has one reachable from the page. */
  readonly fullSizeLinks: ReadonlyMap<string, string>;
  /** A BATCH column, for reports over a time range. */
  readonly showBatch: boolean;
}

/**
 * The picture columns, in order. A new picture of an image (a mask, say) is one more entry here and one
 * more field of ImageThumbnails.
 */
const pictureColumns: readonly {
  readonly kind: string;
  readonly header: string;
  readonly pick: (t: ImageThumbnails) => Thumbnail | undefined;
  readonly absent: (row: ResultRow) => string;
  /** Shown only when this says the report's rows have such a picture; always by default. */
  readonly shownFor?: (rows: readonly ResultRow[]) => boolean;
}[] = [
  { kind: 'before', header: 'Before', pick: (t) => t.before, absent: () => 'not pictured' },
  {
    kind: 'after',
    header: 'After',
    pick: (t) => t.after,
    absent: (row) => (row.status === 'FAILED' ? 'no output' : 'not pictured'),
  },
  {
    kind: 'mask',
    header: 'Mask',
    pick: (t) => t.mask,
    absent: (row) => (row.status === 'SUCCEEDED' && row.mask ? 'not pictured' : 'no mask'),
    shownFor: (rows) => rows.some((row) => row.status === 'SUCCEEDED' && row.mask !== undefined),
  },
];

type SortValue = string | number | null;

interface DataColumn {
  /** Names the sort inputs and the row's rank variables; absent for columns that do not sort. */
  readonly key?: string;
  readonly header: string;
  readonly width: string;
  readonly numeric?: boolean;
  readonly sortValue?: (row: ResultRow) => SortValue;
  readonly cell: (row: ResultRow, index: number, input: ImageTableInput) => string;
}

const succeeded = <T>(
  row: ResultRow,
  pick: (row: Extract<ResultRow, { status: 'SUCCEEDED' }>) => T,
): T | null => (row.status === 'SUCCEEDED' ? pick(row) : null);

function dataColumns(input: ImageTableInput): DataColumn[] {
  const columns: (DataColumn | false)[] = [
    {
      key: 'order',
      header: '#',
      width: '3.5em',
      numeric: true,
      sortValue: (row) => row.imageId,
      cell: (_, index) => String(index + 1),
    },
    ...pictureColumns
      .filter((picture) => picture.shownFor?.(input.rows) ?? true)
      .map(
        (picture): DataColumn => ({
          header: picture.header,
          width: '104px',
          cell: (row) => pictureCell(row, input.thumbnails.get(row.imageId), picture),
        }),
      ),
    {
      key: 'file',
      header: 'File',
      width: 'minmax(11em, 2fr)',
      sortValue: (row) => row.originalName.toLowerCase(),
      cell: (row) => fileCell(row, input.fullSizeLinks.get(row.imageId)),
    },
    input.showBatch && {
      key: 'batch',
      header: 'Batch',
      width: 'minmax(7em, 1fr)',
      sortValue: (row) => row.batchId,
      cell: (row) => escapeHtml(row.batchId),
    },
    {
      key: 'status',
      header: 'Status',
      width: '7.5em',
      sortValue: (row) => row.status,
      cell: (row) => `<span class="status">${row.status}</span>`,
    },
    {
      key: 'area',
      header: 'Size (px)',
      width: '8.5em',
      numeric: true,
      sortValue: (row) => succeeded(row, (r) => r.areaPx),
      cell: (row) =>
        succeeded(row, (r) => `${r.width}×${r.height}<div class="sub">${formatCount(r.areaPx)}</div>`) ?? '–',
    },
    {
      key: 'foreground',
      header: 'Foreground',
      width: '8.5em',
      numeric: true,
      sortValue: (row) => succeeded(row, (r) => r.foregroundRatio),
      cell: (row) => formatPercent(succeeded(row, (r) => r.foregroundRatio)),
    },
    {
      key: 'ms',
      header: 'Time (ms)',
      width: '8em',
      numeric: true,
      sortValue: (row) => row.timings.totalMs,
      cell: (row) => formatMs(row.timings.totalMs),
    },
    {
      header: 'Result',
      width: 'minmax(12em, 2fr)',
      cell: (row) =>
        row.status === 'SUCCEEDED'
          ? `<code class="where">${escapeHtml(s3Uri(row.output))}</code>${row.mask ? `<code class="where">${escapeHtml(s3Uri(row.mask))}</code>` : ''}<div class="sub">model ${escapeHtml(`${row.model.name} ${row.model.version}`)}</div>`
          : `<code>${escapeHtml(row.errorCode)}</code> ${escapeHtml(row.errorMessage)}`,
    },
  ];
  return columns.filter((column): column is DataColumn => column !== false);
}

/**
 * Every image as one table row, sortable without a script: each sortable column has two radio inputs
 * (ascending, descending) whose labels sit in the header; each row carries its rank in every order as CSS
 * variables, and a `:has(:checked)` rule sets the rows' flex `order`. The page keeps its no-script CSP,
 * the same file works from disk and from S3, and the DOM stays in upload order (what images.csv has).
 */
export function imageTableHtml(input: ImageTableInput): string {
  const columns = dataColumns(input);
  const sortable = columns.filter((column) => column.key !== undefined && column.sortValue !== undefined);
  const ranks = new Map(sortable.map((column) => [column.key ?? '', ranksOf(input.rows, column)]));
  const template = columns.map((column) => column.width).join(' ');

  const inputs = sortable
    .flatMap((column) =>
      (['asc', 'desc'] as const).map(
        (direction) =>
          `<input type="radio" name="image-sort" class="sort-input" id="sort-${column.key}-${direction}" aria-label="sort by ${escapeHtml(column.header)}, ${direction === 'asc' ? 'ascending' : 'descending'}"${column.key === 'order' && direction === 'asc' ? ' checked' : ''}>`,
      ),
    )
    .join('');
  const head = columns
    .map((column) => {
      const sort =
        column.key && column.sortValue
          ? ` <label for="sort-${column.key}-asc" class="sort asc" title="sort ascending">▲</label><label for="sort-${column.key}-desc" class="sort desc" title="sort descending">▼</label>`
          : '';
      return `<th role="columnheader" class="${column.numeric ? 'n' : ''}">${escapeHtml(column.header)}${sort}</th>`;
    })
    .join('');
  const body = input.rows
    .map((row, index) => {
      const variables = [...ranks]
        .map(([key, rank]) => `--a-${key}:${rank.asc[index]};--d-${key}:${rank.desc[index]}`)
        .join(';');
      const cells = columns
        .map(
          (column) =>
            `<td role="cell" class="${column.numeric ? 'n' : ''}">${column.cell(row, index, input)}</td>`,
        )
        .join('');
      return `<tr role="row" class="${row.status.toLowerCase()}" data-image-id="${escapeHtml(row.imageId)}" style="${variables}">${cells}</tr>`;
    })
    .join('\n');
  const sortRules = sortable
    .map(
      (column) =>
        `.sortable:has(#sort-${column.key}-asc:checked) tbody tr{order:var(--a-${column.key})}` +
        `.sortable:has(#sort-${column.key}-desc:checked) tbody tr{order:var(--d-${column.key})}` +
        `.sortable:has(#sort-${column.key}-asc:checked) label[for=sort-${column.key}-asc],` +
        `.sortable:has(#sort-${column.key}-desc:checked) label[for=sort-${column.key}-desc]{color:var(--accent);opacity:1}`,
    )
    .join('\n');
  return `<style>.images tr{grid-template-columns:${template}}
${sortRules}</style>
<div class="sortable">${inputs}
<div class="table-scroll"><table class="images" role="table"><thead><tr role="row">${head}</tr></thead>
<tbody>
${body}
</tbody></table></div></div>`;
}

/** Each row's position when sorted by the column, ascending and descending; rows without a value last both ways, ties in upload order. */
function ranksOf(rows: readonly ResultRow[], column: DataColumn): { asc: number[]; desc: number[] } {
  const values = rows.map((row) => column.sortValue?.(row) ?? null);
  const rank = (direction: 1 | -1) => {
    const order = values
      .map((value, index) => ({ value, index }))
      .sort((a, b) => compare(a.value, b.value, direction) || a.index - b.index);
    const positions = new Array<number>(rows.length);
    order.forEach((entry, position) => {
      positions[entry.index] = position;
    });
    return positions;
  };
  return { asc: rank(1), desc: rank(-1) };
}

function compare(a: SortValue, b: SortValue, direction: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * direction;
  return String(a).localeCompare(String(b)) * direction;
}

function pictureCell(
  row: ResultRow,
  thumbnails: ImageThumbnails | undefined,
  picture: (typeof pictureColumns)[number],
): string {
  const thumbnail = thumbnails ? picture.pick(thumbnails) : undefined;
  if (!thumbnail)
    return `<div class="thumb missing ${picture.kind}">${escapeHtml(picture.absent(row))}</div>`;
  if ('missing' in thumbnail)
    return `<div class="thumb missing ${picture.kind}">${escapeHtml(thumbnail.missing)}</div>`;
  return `<img class="thumb ${picture.kind}" src="${thumbnail.dataUri}" width="${thumbnail.width}" height="${thumbnail.height}" alt="${escapeHtml(`${picture.kind} ${row.originalName}`)}" title="${picture.kind}">`;
}

function fileCell(row: ResultRow, fullSize: string | undefined): string {
  const link = fullSize ? `<div><a class="full-size" href="${escapeHtml(fullSize)}">full size</a></div>` : '';
  return `<div class="name">${escapeHtml(row.originalName || row.imageId)}</div><div class="id">${escapeHtml(row.imageId)}</div>${link}`;
}
