import { setTimeout as sleep } from 'node:timers/promises';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';
import { multipartRequest, writeThenRead } from '../support/raw-http.ts';
import { rawUpload } from '../support/raw-upload.ts';

let api: ApiHarness;
const logLines: Record<string, unknown>[] = [];
beforeAll(async () => {
  api = await startApiHarness({ logLines });
});
afterAll(async () => {
  await api?.close();
});

/** What the API logged and counted for the uploads since `from` (log line and metric indexes). */
function outcomeSince(from: { lines: number; metrics: number }) {
  const lines = logLines.slice(from.lines);
  return {
    completed: lines.filter((line) => String(line.msg).startsWith('request ')),
    failures: lines.filter((line) => line.level === 'error' || line.level === 'warn'),
    rejectedCodes: api.metrics.recorded
      .slice(from.metrics)
      .filter((metric) => metric.name === 'UploadsRejected')
      .map((metric) => metric.dimensions?.ErrorCode),
  };
}

const mark = () => ({ lines: logLines.length, metrics: api.metrics.recorded.length });

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(50);
}

describe('a client that disconnects mid-upload', () => {
  it('leaves no object and no message when it goes away inside the first part, logged and counted as UPLOAD_ABORTED', async () => {
    const since = mark();
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const upload = rawUpload(api.url, { fileBytes: 4 * 1024 * 1024, stopAfterBytes: 1024 * 1024 });
    await waitFor(() => upload.sent() >= 1024 * 1024, 5_000);
    await sleep(100);
    upload.abort();
    await waitFor(() => outcomeSince(since).completed.length > 0, 5_000);
    expect(await api.countOriginals()).toBe(objectsBefore);
    expect(await api.countMessages()).toBe(messagesBefore);
    const outcome = outcomeSince(since);
    expect(outcome.completed).toEqual([expect.objectContaining({ level: 'info', code: 'UPLOAD_ABORTED' })]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.rejectedCodes).toEqual(['UPLOAD_ABORTED']);
  });

  it('aborts the S3 multipart upload it had started, leaving no object, no parts and no message, logged and counted as UPLOAD_ABORTED', async () => {
    // Prepare: several 5 MiB parts, so a multipart upload is under way when the client leaves.
    const since = mark();
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const commandsBefore = api.s3Commands.length;
    const upload = rawUpload(api.url, { fileBytes: 64 * 1024 * 1024, stopAfterBytes: 24 * 1024 * 1024 });

    // Act
    await waitFor(() => api.s3Commands.slice(commandsBefore).includes('UploadPartCommand'), 15_000);
    await waitFor(() => upload.sent() >= 24 * 1024 * 1024, 15_000);
    upload.abort();
    await waitFor(() => api.s3Commands.slice(commandsBefore).includes('AbortMultipartUploadCommand'), 10_000);

    // Assess
    const commands = api.s3Commands.slice(commandsBefore);
    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands).toContain('AbortMultipartUploadCommand');
    expect(commands).not.toContain('CompleteMultipartUploadCommand');
    expect(await api.countOriginals()).toBe(objectsBefore);
    expect(await api.countMessages()).toBe(messagesBefore);
    await expect(upload.reply).rejects.toThrow();
    await waitFor(() => outcomeSince(since).completed.length > 0, 5_000);
    const outcome = outcomeSince(since);
    expect(outcome.completed).toEqual([expect.objectContaining({ level: 'info', code: 'UPLOAD_ABORTED' })]);
    expect(outcome.failures).toEqual([]);
    expect(outcome.rejectedCodes).toEqual(['UPLOAD_ABORTED']);
  });

  it('answers a client that sends its whole request and then half-closes, and stores what it answered', async () => {
    // Prepare
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const request = multipartRequest(api.url, { name: 'half.jpg', bytes: jpegBytes({ bytes: 200_000 }) });

    // Act
    const reply = await writeThenRead(api.url, request, { halfClose: true });

    // Assess: answered, and exactly what was answered is stored and queued.
    expect(reply.status).toBe(202);
    const { images } = JSON.parse(reply.body) as { images: { imageId: string }[] };
    expect(images).toHaveLength(1);
    expect(await api.countOriginals()).toBe(objectsBefore + 1);
    expect(await api.countMessages()).toBe(messagesBefore + 1);
  });
});
