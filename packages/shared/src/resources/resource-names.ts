/** The names of the pipeline's AWS resources, shared by the services' defaults and the local stack. */
export const defaultResourceNames = {
  uploadsBucket: 'photo-pipeline-uploads',
  processedBucket: 'photo-pipeline-processed',
  jobsQueue: 'photo-pipeline-jobs',
  jobsDeadLetterQueue: 'photo-pipeline-jobs-dlq',
  resultsTable: 'photo-pipeline-results',
} as const;

export type ResourceNames = { readonly [K in keyof typeof defaultResourceNames]: string };
