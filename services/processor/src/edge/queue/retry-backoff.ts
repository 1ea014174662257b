/** SQS's ceiling for a message's visibility timeout when it is handed back (12 hours), kept to 15 minutes. */
export const maxRetryDelaySeconds = 900;

/**
 * How long a transiently failed message stays hidden before its next delivery: the base delay doubled
 * for every earlier receive, capped at 15 minutes. After the queue's maxReceiveCount it goes to the DLQ.
 */
export function retryDelaySeconds(receiveCount: number, baseSeconds: number): number {
  const exponent = Math.min(Math.max(receiveCount - 1, 0), 20);
  return Math.min(baseSeconds * 2 ** exponent, maxRetryDelaySeconds);
}
