#!/usr/bin/env bash
# LocalStack "ready" hook: creates the pipeline's resources as packages/shared/src/resources defines them
# (the same names, queue settings and table keys the embedded local stack and the CDK app use).
# infra/test/docker/compose.test.ts checks these values against the shared definitions.
set -euo pipefail

UPLOADS_BUCKET=photo-pipeline-uploads
PROCESSED_BUCKET=photo-pipeline-processed
JOBS_QUEUE=photo-pipeline-jobs
JOBS_DLQ=photo-pipeline-jobs-dlq
RESULTS_TABLE=photo-pipeline-results
VISIBILITY_TIMEOUT_SECONDS=120
MAX_RECEIVE_COUNT=5
MESSAGE_RETENTION_SECONDS=345600
DLQ_RETENTION_SECONDS=1209600

awslocal s3 mb "s3://${UPLOADS_BUCKET}" || true
awslocal s3 mb "s3://${PROCESSED_BUCKET}" || true

awslocal sqs create-queue --queue-name "${JOBS_DLQ}" \
  --attributes "MessageRetentionPeriod=${DLQ_RETENTION_SECONDS}" >/dev/null
dlq_arn="$(awslocal sqs get-queue-attributes \
  --queue-url "$(awslocal sqs get-queue-url --queue-name "${JOBS_DLQ}" --query QueueUrl --output text)" \
  --attribute-names QueueArn --query Attributes.QueueArn --output text)"
attributes="$(mktemp)"
cat >"${attributes}" <<JSON
{
  "VisibilityTimeout": "${VISIBILITY_TIMEOUT_SECONDS}",
  "MessageRetentionPeriod": "${MESSAGE_RETENTION_SECONDS}",
  "RedrivePolicy": "{\"deadLetterTargetArn\":\"${dlq_arn}\",\"maxReceiveCount\":\"${MAX_RECEIVE_COUNT}\"}"
}
JSON
awslocal sqs create-queue --queue-name "${JOBS_QUEUE}" --attributes "file://${attributes}" >/dev/null
rm -f "${attributes}"

if ! awslocal dynamodb describe-table --table-name "${RESULTS_TABLE}" >/dev/null 2>&1; then
  awslocal dynamodb create-table --table-name "${RESULTS_TABLE}" \
    --billing-mode PAY_PER_REQUEST \
    --attribute-definitions AttributeName=imageId,AttributeType=S AttributeName=batchId,AttributeType=S \
      AttributeName=uploadDay,AttributeType=S \
    --key-schema AttributeName=imageId,KeyType=HASH \
    --global-secondary-indexes \
      'IndexName=byBatch,KeySchema=[{AttributeName=batchId,KeyType=HASH},{AttributeName=imageId,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
      'IndexName=byUploadDay,KeySchema=[{AttributeName=uploadDay,KeyType=HASH},{AttributeName=imageId,KeyType=RANGE}],Projection={ProjectionType=ALL}' \
    >/dev/null
fi
echo "photo-pipeline resources ready"
