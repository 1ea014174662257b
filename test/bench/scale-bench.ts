// Scale benchmark: 3,000 small images through the whole local pipeline with MAX_PROCESSOR_TASKS 1 and 3
// (BACKLOG_PER_TASK 100). Reports first upload -> last row for both and checks 3,000 rows, no duplicate.
// On a 2-core machine the speed-up is bounded by the cores: the API, the stack and every processor share them.
import { measurePipeline } from './e2e-bench.ts';

const imageCount = 3000;

export async function runScaleBench(): Promise<object> {
  const runs = [];
  for (const maxProcessors of [1, 3]) {
    const run = await measurePipeline({ imageCount, maxProcessors, backlogPerProcessor: 100 });
    if (run.rows !== imageCount || run.distinctImageIds !== imageCount) {
      throw new Error(
        `MAX_PROCESSOR_TASKS=${maxProcessors}: ${run.rows} rows, ${run.distinctImageIds} distinct, expected ${imageCount}`,
      );
    }
    runs.push(run);
  }
  const [one, three] = runs;
  return {
    images: imageCount,
    runs,
    speedUpThreeOverOne:
      one && three
        ? Number((one.wallSecondsFirstUploadToLastRow / three.wallSecondsFirstUploadToLastRow).toFixed(2))
        : null,
  };
}
