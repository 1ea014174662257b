import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError } from '../aws/classify-aws-error.ts';
import { listObjects } from '../aws/s3-objects.ts';

/** A post-processing report the results task wrote to the processed bucket. */
export interface StoredReport {
  readonly bucket: string;
  /** Key of its HTML page, e.g. reports/batch-<id>/<time>/report.html. */
  readonly htmlKey: string;
  /** The report's name: the folder under the reports prefix, e.g. batch-<id>/<time>. */
  readonly name: string;
  readonly writtenAt: string;
}

export interface LatestReportOptions {
  readonly bucket: string;
  /** Where the results task writes reports (its REPORTS_PREFIX), e.g. reports/. */
  readonly prefix: string;
  /** Keys listed at most (1000 a page); 10 000 by default. */
  readonly maxKeys?: number;
}

const htmlFile = 'report.html';

/** The newest report (by the time its HTML page was written) under the prefix, or undefined when there is none. */
export async function findLatestReport(
  s3: S3Client,
  options: LatestReportOptions,
): Promise<StoredReport | undefined> {
  const prefix = options.prefix.replace(/\/*$/, '/');
  const maxKeys = options.maxKeys ?? 10_000;
  let newest: { key: string; writtenAt: Date } | undefined;
  let listed = 0;
  try {
    for await (const object of listObjects(s3, options.bucket, prefix)) {
      if (object.key.endsWith(`/${htmlFile}`) && (!newest || object.lastModified > newest.writtenAt)) {
        newest = { key: object.key, writtenAt: object.lastModified };
      }
      listed += 1;
      if (listed >= maxKeys) break;
    }
  } catch (error) {
    throw classifyAwsError(error, `listing the reports in s3://${options.bucket}/${prefix}`);
  }
  if (!newest) return undefined;
  return {
    bucket: options.bucket,
    htmlKey: newest.key,
    name: newest.key.slice(prefix.length, -htmlFile.length - 1),
    writtenAt: newest.writtenAt.toISOString(),
  };
}
