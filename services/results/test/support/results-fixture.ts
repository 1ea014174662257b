import { createHash } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type LocalStack, startLocalStack } from '@photo-pipeline/local-stack';
import { loadConfig, type ResultsConfig, resultsConfigSchema } from '@photo-pipeline/shared/config';
import {
  type ImageId,
  newImageId,
  objectKeys,
  type ResultRow,
  resultRowSchema,
  uploadDayOf,
} from '@photo-pipeline/shared/contracts';
import sharp from 'sharp';
import { createResultsDeps, type ResultsDeps } from '../../src/entry/results-deps.ts';

/** A local stack with the results task's dependencies, plus builders that store rows and images. */
export interface ResultsFixture {
  readonly stack: LocalStack;
  /** The environment the CLI process gets. */
  readonly env: Record<string, string>;
  readonly config: ResultsConfig;
  readonly deps: ResultsDeps;
  /** Stores an original (and a processed image when SUCCEEDED) and writes a row that satisfies the contract. */
  seedImage(spec: ImageSpec): Promise<ResultRow>;
  /** Stores only an original: an upload without a row yet (PENDING). */
  seedPending(uploadedAt?: Date): Promise<ImageId>;
  stop(): Promise<void>;
}

export interface ImageSpec {
  readonly batchId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly uploadedAt?: Date;
  readonly width?: number;
  readonly height?: number;
  readonly errorCode?: string;
  readonly totalMs?: number;
  /** Skip storing the image bytes (for bulk rows where only the row matters). */
  readonly withoutObjects?: boolean;
  readonly originalName?: string;
  /** For FAILED rows: store a decodable original (a failure after decoding) instead of junk bytes. */
  readonly decodableOriginal?: boolean;
  /** For SUCCEEDED rows: a mask model's row, with a foreground mask PNG stored next to the output. */
  readonly withMask?: boolean;
}

export async function startResultsFixture(extraEnv: Record<string, string> = {}): Promise<ResultsFixture> {
  const stack = await startLocalStack({ port: 0 });
  const env = { ...stack.serviceEnv(), LOG_LEVEL: 'silent', ...extraEnv };
  const config = loadConfig(resultsConfigSchema, env);
  const deps = createResultsDeps(config);
  const names = stack.resources.names;
  let sequence = 0;

  const put = (bucket: string, key: string, body: Buffer, contentType: string) =>
    deps.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
    );

  return {
    stack,
    env,
    config,
    deps,
    async seedImage(spec) {
      sequence += 1;
      const uploadedAt = spec.uploadedAt ?? new Date();
      const imageId = newImageId(uploadedAt.getTime());
      const width = spec.width ?? 32;
      const height = spec.height ?? 24;
      // Rows without objects only need byte counts and hashes, not real pictures.
      const junk = spec.withoutObjects || (spec.status === 'FAILED' && !spec.decodableOriginal);
      const original = junk ? Buffer.from('not an image') : await testImage(width, height, sequence);
      const inputKey = objectKeys.original(imageId);
      if (!spec.withoutObjects) await put(names.uploadsBucket, inputKey, original, 'image/png');
      const base = {
        schemaVersion: 1 as const,
        imageId,
        batchId: spec.batchId,
        uploadDay: uploadDayOf(uploadedAt.toISOString()),
        originalName: spec.originalName ?? `photo-${sequence}.png`,
        input: {
          bucket: names.uploadsBucket,
          key: inputKey,
          bytes: original.length,
          sha256: sha256(original),
          contentType: 'image/png',
        },
        uploadedAt: uploadedAt.toISOString(),
        processedAt: new Date(uploadedAt.getTime() + 200 + sequence).toISOString(),
        attempts: 1,
        timings: { downloadMs: 2, decodeMs: 3, totalMs: spec.totalMs ?? 10 * sequence },
      };
      let row: ResultRow;
      if (spec.status === 'FAILED') {
        row = resultRowSchema.parse({
          ...base,
          status: 'FAILED',
          errorCode: spec.errorCode ?? 'IMAGE_CORRUPT',
          errorMessage: 'the image cannot be decoded (corrupt, truncated or empty)',
        });
      } else {
        const processed = junk ? original : await sharp(original).negate({ alpha: false }).png().toBuffer();
        const outputKey = objectKeys.processed(imageId, 'png');
        if (!spec.withoutObjects) await put(names.processedBucket, outputKey, processed, 'image/png');
        const mask = spec.withMask
          ? await sharp(original).greyscale().threshold(128).png().toBuffer()
          : undefined;
        if (mask) await put(names.processedBucket, objectKeys.mask(imageId), mask, 'image/png');
        row = resultRowSchema.parse({
          ...base,
          status: 'SUCCEEDED',
          width,
          height,
          areaPx: width * height,
          foregroundPx: Math.floor((width * height) / 3),
          foregroundRatio: Math.floor((width * height) / 3) / (width * height),
          output: {
            bucket: names.processedBucket,
            key: outputKey,
            bytes: processed.length,
            sha256: sha256(processed),
            contentType: 'image/png',
          },
          ...(mask && {
            mask: {
              bucket: names.processedBucket,
              key: objectKeys.mask(imageId),
              bytes: mask.length,
              sha256: sha256(mask),
              contentType: 'image/png',
            },
          }),
          model: mask
            ? { name: 'darkness-net', version: '1', digest: '0123456789ab' }
            : { name: 'invert-threshold', version: '1.0.0' },
          executionProvider: 'cpu',
        });
      }
      await writeRows(deps, [row]);
      return row;
    },
    async seedPending(uploadedAt = new Date()) {
      const imageId = newImageId(uploadedAt.getTime());
      await put(names.uploadsBucket, objectKeys.original(imageId), await testImage(8, 8, 1), 'image/png');
      return imageId;
    },
    async stop() {
      deps.clients.destroy();
      await stack.stop();
    },
  };
}

export async function writeRows(deps: ResultsDeps, rows: readonly ResultRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 25) {
    await deps.clients.documents.send(
      new BatchWriteCommand({
        RequestItems: {
          [deps.config.RESULTS_TABLE]: rows
            .slice(start, start + 25)
            .map((row) => ({ PutRequest: { Item: row } })),
        },
      }),
    );
  }
}

/** A small PNG with a gradient and a coloured square, different for each seed. */
export async function testImage(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      const inSquare = x > width / 4 && x < (3 * width) / 4 && y > height / 4 && y < (3 * height) / 4;
      pixels[i] = inSquare ? (seed * 70) % 256 : Math.floor((x / width) * 255);
      pixels[i + 1] = inSquare ? 40 : Math.floor((y / height) * 255);
      pixels[i + 2] = inSquare ? 200 : 120;
    }
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
