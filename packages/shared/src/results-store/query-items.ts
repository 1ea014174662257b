import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AwsClients } from '../aws/aws-clients.ts';
import { classifyAwsError } from '../aws/classify-aws-error.ts';
import { type StoredKey, toStoredKey } from './page-cursor.ts';

/** One page of a query on the results table, items as stored; a failure is classified, saying what it was doing. */
export async function queryItems(
  clients: AwsClients,
  table: string,
  doing: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): Promise<{ items: Record<string, unknown>[]; lastKey: StoredKey | undefined }> {
  try {
    const reply = await clients.documents.send(new QueryCommand({ TableName: table, ...input }));
    return { items: reply.Items ?? [], lastKey: toStoredKey(reply.LastEvaluatedKey) };
  } catch (error) {
    throw classifyAwsError(error, `${doing} in table ${table}`, 'DynamoDB');
  }
}
