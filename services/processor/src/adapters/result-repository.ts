import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import { resultsTableKeys } from '@photo-pipeline/shared/resources';
import { parseResultRow } from '@photo-pipeline/shared/results-store';
import type { ResultRepository } from '../core/processor-ports.ts';

export function createResultRepository(documents: DynamoDBDocumentClient, table: string): ResultRepository {
  const key = resultsTableKeys.partitionKey;
  return {
    async exists(imageId) {
      try {
        const reply = await documents.send(
          new GetCommand({
            TableName: table,
            Key: { [key]: imageId },
            ConsistentRead: true,
            ProjectionExpression: '#key',
            ExpressionAttributeNames: { '#key': key },
          }),
        );
        return reply.Item !== undefined;
      } catch (error) {
        throw classifyAwsError(error, `reading the result row of ${imageId}`);
      }
    },
    async putOnce(row) {
      const item = parseResultRow(row);
      try {
        await documents.send(
          new PutCommand({
            TableName: table,
            Item: item,
            ConditionExpression: 'attribute_not_exists(#key)',
            ExpressionAttributeNames: { '#key': key },
          }),
        );
        return 'written';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'already-exists';
        throw classifyAwsError(error, `writing the result row of ${row.imageId}`);
      }
    },
  };
}
