export type CsvCell = string | number | boolean | null | undefined;

/**
 * RFC 4180 CSV with a header row; CRLF line ends, as spreadsheets expect. Every CSV the results task
 * writes (--csv, the report's images.csv and summary.csv) goes through here, so every cell is defused.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows]
    .map((row) => row.map(csvCell).join(','))
    .join('\r\n')
    .concat('\r\n');
}

/**
 * A text cell a spreadsheet would read as a formula: one starting (after any blanks) with = + - @ or
 * their full-width forms, or with a tab or carriage return (OWASP, CSV Injection).
 */
const formulaStart = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * One cell. Numbers, booleans and empty values are written as they are: they come from typed fields and
 * cannot carry a formula. Text is user-controlled (file names, batch ids, error messages): text that
 * would start a formula gets a leading apostrophe, as OWASP advises, even when it looks like a number
 * ("-5" as text stays text).
 */
function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
