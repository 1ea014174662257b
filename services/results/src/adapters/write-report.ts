import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type AwsClients, classifyAwsError, presignedGetUrl, putObject } from '@photo-pipeline/shared/aws';
import type { ResultsConfig } from '@photo-pipeline/shared/config';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { processedFile } from '../core/fetch/file-names.ts';
import type { BuiltReport, ReportFiles } from '../core/report/build-report.ts';
import { type Progress, silentProgress } from '../core/results-ports.ts';
import { downloadDefaults, downloadFiles } from './download-files.ts';

/** What writing a report needs: the clients, the configuration, and the folder relative paths start from. */
export interface ReportWriterDeps {
  readonly config: ResultsConfig;
  readonly clients: AwsClients;
  readonly cwd: string;
}

/** REPORT_OUTPUT_DIR (or outputDir) value that keeps the report in S3 only, e.g. in a container. */
export const noLocalCopy = 'none';

export interface WriteReportOptions {
  /** Local folder; REPORT_OUTPUT_DIR by default, relative to where the user ran the command; "none" for S3 only. */
  readonly outputDir?: string;
  readonly progress?: Progress;
}

/**
 * How long the S3 copy's links to full-size images work: 7 days, the longest SigV4 allows. Signed with
 * temporary credentials (an ECS task role), they stop working when those credentials expire.
 */
export const reportLinkExpirySeconds = 7 * 24 * 60 * 60;

/** The local copy's full-size images live in this folder beside report.html. */
export const localImagesFolder = 'images';

export interface WrittenReport {
  readonly bucket: string;
  /** s3:// URI of each file, by name. */
  readonly s3: Readonly<Record<keyof ReportFiles, string>>;
  /** Absent when local copies are turned off (REPORT_OUTPUT_DIR=none). */
  readonly localDir: string | undefined;
  /** Absolute path of the HTML report, to open in a browser; absent when local copies are turned off. */
  readonly localHtmlPath: string | undefined;
  /** Full-size processed images downloaded beside the local copy; those that failed have no link. */
  readonly localImages: { readonly fetched: number; readonly failed: number } | undefined;
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

/**
 * Writes the report's files under REPORTS_PREFIX in the processed bucket, and to a local folder. The S3
 * copy of report.html links each full-size processed image by a presigned URL; the local copy downloads
 * them into `images/` beside it and links them by relative path.
 */
export async function writeReport(
  deps: ReportWriterDeps,
  report: BuiltReport,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const bucket = deps.config.PROCESSED_BUCKET;
  const prefix = `${deps.config.REPORTS_PREFIX.replace(/\/*$/, '/')}${report.name}/`;
  const uri = (name: keyof ReportFiles) => `s3://${bucket}/${prefix}${name}`;
  const progress = options.progress ?? silentProgress;
  const succeeded = report.rows.flatMap((row) => (row.status === 'SUCCEEDED' ? [row] : []));

  const s3Files: ReportFiles = {
    ...report.files,
    'report.html': report.renderHtml(await presignedLinks(deps.clients, succeeded)),
  };
  for (const name of reportFileNames) {
    const key = `${prefix}${name}`;
    try {
      await putObject(deps.clients.s3, bucket, key, s3Files[name], contentTypes[name]);
    } catch (error) {
      throw classifyAwsError(error, `writing s3://${bucket}/${key}`);
    }
  }

  const localDir = localFolderOf(deps, report, options);
  let localImages: WrittenReport['localImages'];
  if (localDir !== undefined) {
    try {
      await mkdir(localDir, { recursive: true });
      let fetched = 0;
      const outcomes = await downloadFiles(
        deps.clients,
        succeeded.map(processedFile),
        path.join(localDir, localImagesFolder),
        {
          concurrency: downloadDefaults.concurrency,
          onFileDone: () => {
            fetched += 1;
            progress.update(`full-size images: ${fetched}/${succeeded.length}`);
          },
        },
      );
      progress.done();
      const links = new Map(
        outcomes.flatMap((outcome) =>
          outcome.result === 'failed'
            ? []
            : [
                [
                  outcome.file.imageId,
                  `${localImagesFolder}/${encodeURIComponent(outcome.file.fileName)}`,
                ] as const,
              ],
        ),
      );
      localImages = { fetched: links.size, failed: outcomes.length - links.size };
      const localFiles: ReportFiles = { ...report.files, 'report.html': report.renderHtml(links) };
      for (const name of reportFileNames) await writeFile(path.join(localDir, name), localFiles[name]);
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
    localImages,
  };
}

/** A presigned GET URL for each processed image; signing is local (no request). */
async function presignedLinks(
  clients: AwsClients,
  rows: readonly Extract<ResultRow, { status: 'SUCCEEDED' }>[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const row of rows) {
    links.set(
      row.imageId,
      await presignedGetUrl(clients.s3, row.output.bucket, row.output.key, reportLinkExpirySeconds),
    );
  }
  return links;
}

/** The local folder of this report, or undefined when local copies are turned off ("none"). */
function localFolderOf(
  deps: Pick<ReportWriterDeps, 'config' | 'cwd'>,
  report: BuiltReport,
  options: WriteReportOptions,
): string | undefined {
  const folder = options.outputDir ?? deps.config.REPORT_OUTPUT_DIR;
  if (folder === noLocalCopy) return undefined;
  return path.join(path.resolve(deps.config.INIT_CWD ?? deps.cwd, folder), ...report.name.split('/'));
}
