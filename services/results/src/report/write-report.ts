import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ResultsDeps } from '../results-deps.ts';
import type { BuiltReport, ReportFiles } from './build-report.ts';

/** REPORT_OUTPUT_DIR (or outputDir) value that keeps the report in S3 only, e.g. in a container. */
export const noLocalCopy = 'none';

export interface WriteReportOptions {
  /** Local folder; REPORT_OUTPUT_DIR by default, relative to where the user ran the command; "none" for S3 only. */
  readonly outputDir?: string;
}

export interface WrittenReport {
  readonly bucket: string;
  /** s3:// URI of each file, by name. */
  readonly s3: Readonly<Record<keyof ReportFiles, string>>;
  /** Absent when local copies are turned off (REPORT_OUTPUT_DIR=none). */
  readonly localDir: string | undefined;
  /** Absolute path of the HTML report, to open in a browser; absent when local copies are turned off. */
  readonly localHtmlPath: string | undefined;
}

const reportFileNames = [
  'summary.json',
  'summary.csv',
  'images.csv',
  'report.html',
] as const satisfies readonly (keyof ReportFiles)[];

const contentTypes: Readonly<Record<keyof ReportFiles, string>> = {
  'summary.json': 'application/json; charset=utf-8',
  'summary.csv': 'text/csv; charset=utf-8',
  'images.csv': 'text/csv; charset=utf-8',
  'report.html': 'text/html; charset=utf-8',
};

/** Writes the report's files under REPORTS_PREFIX in the processed bucket, and to a local folder. */
export async function writeReport(
  deps: Pick<ResultsDeps, 'clients' | 'config' | 'cwd'>,
  report: BuiltReport,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const bucket = deps.config.PROCESSED_BUCKET;
  const prefix = `${deps.config.REPORTS_PREFIX.replace(/\/*$/, '/')}${report.name}/`;
  const uri = (name: keyof ReportFiles) => `s3://${bucket}/${prefix}${name}`;

  for (const name of reportFileNames) {
    const key = `${prefix}${name}`;
    try {
      await deps.clients.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: report.files[name],
          ContentType: contentTypes[name],
        }),
      );
    } catch (error) {
      throw classifyAwsError(error, `writing s3://${bucket}/${key}`);
    }
  }

  const localDir = localFolderOf(deps, report, options);
  if (localDir !== undefined) {
    try {
      await mkdir(localDir, { recursive: true });
      for (const name of reportFileNames) await writeFile(path.join(localDir, name), report.files[name]);
    } catch (cause) {
      throw new PermanentError(
        'REPORT_WRITE_FAILED',
        `the report is in S3 (${uri('report.html')}) but could not be written to ${localDir}: ${cause instanceof Error ? cause.message : String(cause)}. Set REPORT_OUTPUT_DIR (or --output-dir) to a writable folder, or to "none"`,
        { cause },
      );
    }
  }
  return {
    bucket,
    s3: {
      'summary.json': uri('summary.json'),
      'summary.csv': uri('summary.csv'),
      'images.csv': uri('images.csv'),
      'report.html': uri('report.html'),
    },
    localDir,
    localHtmlPath: localDir === undefined ? undefined : path.join(localDir, 'report.html'),
  };
}

/** The local folder of this report, or undefined when local copies are turned off ("none"). */
function localFolderOf(
  deps: Pick<ResultsDeps, 'config' | 'cwd'>,
  report: BuiltReport,
  options: WriteReportOptions,
): string | undefined {
  const folder = options.outputDir ?? deps.config.REPORT_OUTPUT_DIR;
  if (folder === noLocalCopy) return undefined;
  return path.join(path.resolve(deps.config.INIT_CWD ?? deps.cwd, folder), ...report.name.split('/'));
}
