import { availableParallelism } from 'node:os';
import { createAwsClients, resolveQueueUrl } from '@photo-pipeline/shared/aws';
import type { ProcessorConfig } from '@photo-pipeline/shared/config';
import type { Logger } from '@photo-pipeline/shared/log';
import type { Metrics } from '@photo-pipeline/shared/metrics';
import sharp from 'sharp';
import { createObjectStore } from '../adapters/object-store.ts';
import { loadModel } from '../adapters/onnx/inference-model.ts';
import { createResultRepository } from '../adapters/result-repository.ts';
import { loadTurboJpeg } from '../core/image/turbojpeg.ts';
import { processMessage } from '../core/jobs/process-message.ts';
import { createBufferPool } from '../core/model/buffer-pool.ts';
import { nvidiaGpuVisible } from '../core/model/execution-provider.ts';
import { defaultModelPaths, defaultModelTileRows } from '../core/model/model-path.ts';
import type { NodePlacement, PlacementReport } from '../core/processor-ports.ts';
import { planThreads } from '../core/thread-plan.ts';
import { type ConsumerSummary, consumeJobs } from '../edge/queue/job-consumer.ts';

export interface RunProcessorDeps {
  readonly config: ProcessorConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Aborted on SIGTERM. */
  readonly stopSignal: AbortSignal;
}

/**
 * The processor task: loads and checks the model, then drains the jobs queue until idle or stopped.
 * A broken model or an unusable requested provider fails here, before any message is received.
 */
export async function runProcessor({
  config,
  logger,
  metrics,
  stopSignal,
}: RunProcessorDeps): Promise<ConsumerSummary> {
  const threads = planThreads(availableParallelism(), config.CONCURRENCY);
  sharp.concurrency(threads.sharpThreads);
  // The uploads were checked by the API; sharp's own cache would only hold memory between images.
  sharp.cache(false);

  const model = await loadModel({
    path: config.MODEL_PATH ?? defaultModelPaths,
    provider: config.EXECUTION_PROVIDER,
    gpuVisible: nvidiaGpuVisible(),
    intraOpThreads: threads.onnxThreads,
    pooledOutputs: config.CONCURRENCY,
    // The built-in model is pointwise, so it runs in bands; a MODEL_PATH model (perhaps a network that
    // looks at neighbours) sees the whole image unless MODEL_TILE_ROWS says otherwise.
    tileRows: config.MODEL_TILE_ROWS ?? (config.MODEL_PATH === undefined ? defaultModelTileRows : 0),
    inPlace: config.MODEL_PATH === undefined,
  });
  logger.info(
    {
      model: { name: model.name, version: model.version, digest: model.digest, path: model.path },
      contract: model.contract,
      executionProvider: model.executionProvider,
      reason: model.providerReason,
      tileRows: model.tileRows,
      threads,
      jpegCodec: jpegCodecLog(),
      ...placementLog(model.placement),
    },
    `model loaded; using ${model.executionProvider}`,
  );
  if (model.placement?.kind === 'profiled' && model.placement.outside.length > 0) {
    logger.warn(
      { cpuNodes: model.placement.outside.map(describeNode) },
      `${model.placement.outside.length} of ${model.placement.nodes} model nodes run outside ${model.executionProvider}, with copies in and out`,
    );
  }

  const clients = createAwsClients(config, { maxSockets: config.CONCURRENCY * 4 + 4 });
  try {
    const queueUrl = await resolveQueueUrl(clients.sqs, config);
    const deps = {
      objects: createObjectStore(clients.s3),
      results: createResultRepository(clients.documents, config.RESULTS_TABLE),
      model,
      buckets: { uploads: config.UPLOADS_BUCKET, processed: config.PROCESSED_BUCKET },
      image: {
        maxPixels: config.MAX_IMAGE_PIXELS,
        jpegQuality: config.JPEG_QUALITY,
        buffers: createBufferPool(config.CONCURRENCY),
      },
      logger,
      metrics,
    };
    return await consumeJobs(
      {
        queueUrl,
        concurrency: config.CONCURRENCY,
        visibilityTimeoutSeconds: config.VISIBILITY_TIMEOUT_SECONDS,
        heartbeatIntervalSeconds: config.HEARTBEAT_INTERVAL_SECONDS,
        idleExitSeconds: config.IDLE_EXIT_SECONDS,
        stopTimeoutSeconds: config.STOP_TIMEOUT_SECONDS,
        retryBackoffBaseSeconds: config.RETRY_BACKOFF_BASE_SECONDS,
      },
      { sqs: clients.sqs, logger, stopSignal, handle: (message) => processMessage(deps, message) },
    );
  } finally {
    clients.destroy();
    await model.release();
  }
}

/** Which library decodes and encodes plain JPEGs (sharp does everything else). */
function jpegCodecLog() {
  const turbo = loadTurboJpeg();
  return turbo.available
    ? { library: 'libjpeg-turbo', path: turbo.codec.library }
    : { library: 'sharp', reason: turbo.reason };
}

const describeNode = (placement: NodePlacement) =>
  `${placement.op} ${placement.node} (${placement.provider})`;

/** The start line's account of node placement: known only when a warm-up run was profiled (CUDA). */
function placementLog(placement: PlacementReport | undefined): Record<string, unknown> {
  if (placement === undefined) return {};
  if (placement.kind === 'unknown') return { placement: { unknown: placement.reason } };
  return { placement: { nodes: placement.nodes, outside: placement.outside.map(describeNode) } };
}
