import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

/** What a service prints: createMetrics in a process of its own, its stdout split into lines. */
async function emfLinesOf(script: string): Promise<Record<string, unknown>[]> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=development', '--input-type=module', '-e', script],
    { cwd: packageRoot },
  );
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('EMF metrics on stdout', () => {
  it('writes CloudWatch Embedded Metric Format documents in the PhotoPipeline namespace, by Service', async () => {
    const [upload, rejected] = await emfLinesOf(`
      import { createMetrics } from '@photo-pipeline/shared/metrics';
      const metrics = createMetrics('api');
      metrics.record([
        { name: 'UploadBytes', value: 2048, unit: 'Bytes' },
        { name: 'UploadLatency', value: 12.5, unit: 'Milliseconds' },
      ]);
      metrics.count('UploadsRejected', 1, { ErrorCode: 'IMAGE_CORRUPT' });
      await metrics.flush();
    `);

    expect(upload).toMatchObject({ Service: 'api', UploadBytes: 2048, UploadLatency: 12.5 });
    expect(upload?._aws).toMatchObject({
      Timestamp: expect.any(Number),
      CloudWatchMetrics: [
        {
          Namespace: 'PhotoPipeline',
          Dimensions: [['Service']],
          Metrics: [
            { Name: 'UploadBytes', Unit: 'Bytes' },
            { Name: 'UploadLatency', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expect(rejected).toMatchObject({ Service: 'api', ErrorCode: 'IMAGE_CORRUPT', UploadsRejected: 1 });
    expect(rejected?._aws).toMatchObject({
      CloudWatchMetrics: [
        {
          Namespace: 'PhotoPipeline',
          Dimensions: [['Service', 'ErrorCode']],
          Metrics: [{ Name: 'UploadsRejected', Unit: 'Count' }],
        },
      ],
    });
  });
});
