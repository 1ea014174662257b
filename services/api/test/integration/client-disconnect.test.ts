import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';
import { rawUpload } from '../support/raw-upload.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApiHarness();
});
afterAll(async () => {
  await api?.close();
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(50);
}

describe('a client that disconnects mid-upload', () => {
  it('leaves no object and no message when it goes away inside the first part', async () => {
    const objectsBefore = await api.countOriginals();
    const messagesBefore = await api.countMessages();
    const upload = rawUpload(api.url, { fileBytes: 4 * 1024 * 1024, stopAfterBytes: 1024 * 1024 });
    await waitFor(() => upload.sent() >= 1024 * 1024, 5_000);
    await sleep(100);
    upload.abort();
    await sleep(500);
    expect(await api.countOriginals()).toBe(objectsBefore);
    expect(await api.countMessages()).toBe(messagesBefore);
  });

  it('aborts the S3 multipart upload it had started, leaving no object, no parts and no message', async () => {
    // Prepare: several 5 MiB parts, so a multipart upload is under way when the client leaves.
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
  });
});
