import { PermanentError } from '@photo-pipeline/shared/errors';

export type OutputFormat = 'table' | 'json' | 'csv';

export interface OutputOptions {
  readonly json?: boolean;
  readonly csv?: boolean;
}

export function outputFormatOf(options: OutputOptions): OutputFormat {
  if (options.json && options.csv)
    throw new PermanentError('INVALID_ARGUMENT', 'choose one of --json and --csv');
  if (options.json) return 'json';
  return options.csv ? 'csv' : 'table';
}

export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
