import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/core/format/csv.ts';
import { streamProgress } from '../../src/edge/output/progress.ts';

describe('CSV output', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas from file names', () => {
    const csv = toCsv(
      ['name', 'n'],
      [
        ['a,b "c"', 1],
        ['=HYPERLINK("x")', -2],
        ['-5', null],
      ],
    );

    expect(csv).toBe('name,n\r\n"a,b ""c""",1\r\n"\'=HYPERLINK(""x"")",-2\r\n\'-5,\r\n');
  });

  it.each([
    ["-2+3+cmd|' -c calc'!A0.jpg", "'-2+3+cmd|' -c calc'!A0.jpg"],
    ['+1+cmd.jpg', "'+1+cmd.jpg"],
    ['@SUM(A1).jpg', "'@SUM(A1).jpg"],
    ['\t=1.jpg', "'\t=1.jpg"],
    ['\r=1.jpg', '"\'\r=1.jpg"'],
    ['  =1+1.jpg', "'  =1+1.jpg"],
    ['\uFF1D1+1.jpg', "'\uFF1D1+1.jpg"],
  ])('neutralises a text cell a spreadsheet would run as a formula: %j', (name, cell) => {
    expect(toCsv(['name'], [[name]])).toBe(`name\r\n${cell}\r\n`);
  });

  it('leaves numbers, including negative ones, and ordinary names as they are', () => {
    expect(toCsv(['name', 'n'], [['photo-1.jpg', -3.5]])).toBe('name,n\r\nphoto-1.jpg,-3.5\r\n');
  });
});

describe('progress on stderr', () => {
  it('writes at most one line per interval when stderr is not a terminal', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = streamProgress({ write: (text: string) => lines.push(text) }, 1_000, () => clock);

    progress.update('1');
    clock = 500;
    progress.update('2');
    clock = 1_500;
    progress.update('3');
    progress.done('finished');

    expect(lines).toEqual(['1\n', '3\n', 'finished\n']);
  });

  it('ends with the last state when it was held back and no closing message says it', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = streamProgress({ write: (text: string) => lines.push(text) }, 1_000, () => clock);

    progress.update('2 rows read (1 page(s))');
    clock = 100;
    progress.update('6 rows read (3 page(s))');
    progress.done();

    expect(lines).toEqual(['2 rows read (1 page(s))\n', '6 rows read (3 page(s))\n']);
  });
});

describe('progress on a terminal', () => {
  it('rewrites one line in place and clears it when done', () => {
    const writes: string[] = [];
    const progress = streamProgress({ write: (text: string) => writes.push(text), isTTY: true });

    progress.update('reading 100 rows');
    progress.update('reading 200 rows');
    progress.done();

    expect(writes).toEqual(['\r\u001b[2Kreading 100 rows', '\r\u001b[2Kreading 200 rows', '\r\u001b[2K']);
  });
});
