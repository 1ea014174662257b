import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { type ResultRow, resultRowSchema } from '../../src/contracts/result-row.ts';
import { imageTableColumns } from '../../src/result-table/image-columns.ts';
import { cut, renderTable } from '../../src/result-table/text-table.ts';
import { aSucceededRow } from './builders.ts';

function aRow(overrides: Record<string, unknown> = {}): ResultRow {
  return resultRowSchema.parse(aSucceededRow(overrides));
}

const widthsOf = (table: string) =>
  table
    .trimEnd()
    .split('\n')
    .map((line) => stringWidth(line));

describe('text table', () => {
  it('aligns columns, right-aligns numbers and clips long cells', () => {
    const table = renderTable(
      [
        { header: 'ID', value: (row: { id: string; n: number }) => row.id },
        { header: 'N', align: 'right', value: (row) => String(row.n) },
        { header: 'NOTE', maxWidth: 5, value: () => 'a long note' },
      ],
      [
        { id: 'a', n: 5 },
        { id: 'bbb', n: 123 },
      ],
    );

    expect(table).toBe('ID     N  NOTE\na      5  a lo…\nbbb  123  a lo…\n');
  });

  it('on a narrow width drops the droppable columns first, then shrinks the shrinkable ones just enough', () => {
    const columns = [
      { header: 'ID', value: (row: { id: string; name: string }) => row.id },
      { header: 'NAME', value: (row: { name: string }) => row.name, minWidth: 6, cut: 'middle' as const },
      { header: 'EXTRA', value: () => 'extra-column', dropOrder: 1 },
    ];
    const rows = [{ id: 'id-1', name: 'a-very-long-file-name.jpg' }];

    const wide = renderTable(columns, rows, { width: 200 });
    const narrow = renderTable(columns, rows, { width: 20 });

    expect(wide).toContain('extra-column');
    expect(narrow).toBe('ID    NAME\nid-1  a-very-…me.jpg\n');
    expect(Math.max(...widthsOf(narrow))).toBeLessThanOrEqual(20);
  });

  it('cuts by display width, keeping whole characters (wide, combining, emoji)', () => {
    expect(cut('abcdefghij', 6)).toBe('abcde…');
    expect(cut('abcdefghij', 6, 'middle')).toBe('abc…ij');
    expect(cut('写真の名前です.jpg', 9, 'middle')).toBe('写真….jpg');
    expect(stringWidth(cut('e\u0301te\u0301-photo.png', 6))).toBe(6);
    expect(cut('👍🏽👍🏽👍🏽👍🏽', 5)).toBe('👍🏽👍🏽…');
  });
});

describe('image table columns', () => {
  const rows = [
    aRow({
      originalName: 'holiday-2026-family-on-the-beach-at-sunset.jpg',
      batchId: 'summer-holiday-2026-batch',
    }),
    aRow({ originalName: 'b.png' }),
  ];

  it('show the file name and the batch id beside the image id and status', () => {
    const table = renderTable(imageTableColumns, rows);
    const [header, first] = table.split('\n');

    expect(header).toMatch(/^IMAGE ID\s+FILE\s+BATCH\s+STATUS\s+SIZE\s+AREA PX\s+FG %\s+MS\s+RESULT$/);
    expect(first).toContain(rows[0]?.imageId);
    expect(first).toContain('holiday-2026-family-…beach-at-sunset.jpg');
    expect(first).toContain('summer-holiday-2026-batch');
  });

  it('fit an 80-column terminal: long names cut in the middle, the image id whole, area and time left out', () => {
    const table = renderTable(imageTableColumns, rows, { width: 80 });
    const [header, first] = table.split('\n');

    expect(Math.max(...widthsOf(table))).toBeLessThanOrEqual(80);
    expect(header).toMatch(/^IMAGE ID\s+FILE\s+BATCH\s+STATUS\s+/);
    expect(header).not.toContain('AREA PX');
    expect(first).toContain(rows[0]?.imageId);
    expect(first).toMatch(/holi.*….*\.jpg/);
    expect(first).toContain('SUCCEEDED');
  });
});
