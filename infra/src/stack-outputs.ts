// Kept apart from the stack so the run-task CLI can name outputs without loading the CDK.
/** Names of the stack outputs the run-task script and the deploy guide rely on. */
export const stackOutputNames = {
  apiUrl: 'ApiUrl',
  apiKeysSecretArn: 'ApiKeysSecretArn',
  clusterArn: 'ClusterArn',
  resultsTaskDefinitionArn: 'ResultsTaskDefinitionArn',
  resultsContainerName: 'ResultsContainerName',
  resultsSubnetIds: 'ResultsSubnetIds',
  resultsSecurityGroupId: 'ResultsSecurityGroupId',
  resultsLogGroupName: 'ResultsLogGroupName',
  resultsLogStreamPrefix: 'ResultsLogStreamPrefix',
  uploadsBucketName: 'UploadsBucketName',
  processedBucketName: 'ProcessedBucketName',
  jobsQueueUrl: 'JobsQueueUrl',
  deadLetterQueueUrl: 'DeadLetterQueueUrl',
  resultsTableName: 'ResultsTableName',
  dashboardName: 'DashboardName',
} as const;
