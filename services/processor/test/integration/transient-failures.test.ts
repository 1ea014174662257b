import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcessorOnce } from '../support/in-process-processor.ts';
import { sendJob } from '../support/jobs.ts';
import { testImages } from '../support/test-images.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

describe('transient failures', () => {
  let h: TestStack;
  beforeAll(async () => {
    h = await startTestStack();
  });
  afterAll(() => h?.stop());

  /** Makes `service` answer 503 from now on for `ms`; resolves when it is back. */
  function outageFor(service: 's3' | 'dynamodb', ms: number): Promise<void> {
    const restore = h.stack.simulateOutage(service, 'unavailable');
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        restore();
        resolve();
      }, ms),
    );
  }

  it('leaves the message for a retry with backoff while S3 is unavailable, then processes it', async () => {
    // Prepare: S3 answers 503 for the first delivery, and comes back a moment later.
    const job = await sendJob(h.clients, h.env, await testImages.jpeg());
    const restored = outageFor('s3', 1500);

    // Act
    const run = await runProcessorOnce(h.env, { IDLE_EXIT_SECONDS: '4', RETRY_BACKOFF_BASE_SECONDS: '1' });
    await restored;

    // Assess: no FAILED row for an outage; the retry wrote the one SUCCEEDED row.
    expect(run.summary.retried).toBeGreaterThanOrEqual(1);
    const rows = await h.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ imageId: job.message.imageId, status: 'SUCCEEDED' });
    expect(rows[0]?.attempts).toBeGreaterThanOrEqual(2);
    const transient = run.logs.find(
      (line) => line.msg === 'transient failure; the message goes back to the queue',
    );
    expect(transient).toMatchObject({ errorCode: 'DEPENDENCY_UNAVAILABLE', imageId: job.message.imageId });
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('leaves the message for a retry while DynamoDB is unavailable, logging the failure with its code', async () => {
    // Prepare: DynamoDB answers 503 (so the existence check fails first), and comes back a moment later.
    const job = await sendJob(h.clients, h.env, await testImages.jpeg());
    const restored = outageFor('dynamodb', 1500);

    // Act
    const run = await runProcessorOnce(h.env, { IDLE_EXIT_SECONDS: '4', RETRY_BACKOFF_BASE_SECONDS: '1' });
    await restored;

    // Assess: each retried delivery left a warn line with the code; the retry wrote the one row.
    expect(run.summary.retried).toBeGreaterThanOrEqual(1);
    const transient = run.logs.filter(
      (line) =>
        line.msg === 'transient failure; the message goes back to the queue' &&
        line.imageId === job.message.imageId,
    );
    expect(transient.length).toBe(run.summary.retried);
    expect(transient[0]).toMatchObject({ errorCode: 'DEPENDENCY_UNAVAILABLE', level: 'warn' });
    expect(JSON.stringify(transient[0])).toContain('reading the result row');
    const row = (await h.rows()).find((candidate) => candidate.imageId === job.message.imageId);
    expect(row).toMatchObject({ status: 'SUCCEEDED' });
    expect(row?.attempts).toBeGreaterThanOrEqual(2);
    expect(await h.depth()).toEqual({ visible: 0, inFlight: 0 });
  });
});
