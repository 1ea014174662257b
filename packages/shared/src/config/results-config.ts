import { z } from 'zod';
import { awsEnvShape, loggingEnvShape, resourceEnvShape, terminalEnvShape } from './common-env.ts';
import { integerFromEnv } from './env-types.ts';

/** The results task's environment. */
export const resultsConfigSchema = z.object({
  ...awsEnvShape,
  ...loggingEnvShape,
  ...resourceEnvShape,
  ...terminalEnvShape,
  /** Where `report` writes its JSON, CSV and HTML, in the processed bucket. */
  REPORTS_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^/]/, { message: 'expected a key prefix such as reports/ (no leading slash)' })
    .default('reports/'),
  /** Local folder for the HTML report and its JSON/CSV; relative paths resolve against the user's folder. */
  REPORT_OUTPUT_DIR: z.string().min(1).default('reports'),
  /** Images with before/after thumbnails in the HTML report; the rest are counted, not pictured. */
  REPORT_MAX_THUMBNAILS: integerFromEnv({ min: 0, max: 1000 }).default(60),
  /** Longest side of a report thumbnail, in pixels. */
  REPORT_THUMBNAIL_PX: integerFromEnv({ min: 16, max: 1024 }).default(160),
  /** Rows per DynamoDB query page when listing a batch or a time range. */
  RESULTS_PAGE_SIZE: integerFromEnv({ min: 1, max: 1000 }).default(100),
  /** Set by pnpm to the folder the user ran `pnpm results` from (pnpm runs scripts in the package folder). */
  INIT_CWD: z.string().min(1).optional(),
});

export type ResultsConfig = z.output<typeof resultsConfigSchema>;
