/** Defaults of the jobs queue and its dead-letter queue, shared by the local stack and the CDK app. */
export const jobsQueueDefaults = {
  /** Above the worst-case processing time of one image; the processor's heartbeat extends it further. */
  visibilityTimeoutSeconds: 120,
  /** Deliveries before a message moves to the DLQ. */
  maxReceiveCount: 5,
  messageRetentionSeconds: 4 * 24 * 3600,
  deadLetterRetentionSeconds: 14 * 24 * 3600,
} as const;
