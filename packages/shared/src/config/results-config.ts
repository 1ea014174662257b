import { z } from 'zod';
import { awsEnvShape, loggingEnvShape, resourceEnvShape } from './common-env.ts';

/** The results task's environment. */
export const resultsConfigSchema = z.object({
  ...awsEnvShape,
  ...loggingEnvShape,
  ...resourceEnvShape,
  /** Where `report` writes its JSON, CSV and HTML, in the processed bucket. */
  REPORTS_PREFIX: z.string().min(1).default('reports/'),
});

export type ResultsConfig = z.output<typeof resultsConfigSchema>;
