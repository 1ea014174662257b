import { resultRowSchema } from '@photo-pipeline/shared/contracts';
import { type ImageView, imageTableColumns, renderTable } from '@photo-pipeline/shared/result-table';
import type { ImageOutcome, WaitSummary } from './wait-for-results.ts';

/**
 * The end of `upload --wait` as text: counts, every image as `results batch` prints it (the same
 * table), and the commands that show the batch and write its report.
 */
export function waitReportText(batchId: string, wait: WaitSummary, tableWidth: number | undefined): string[] {
  const count = (status: string) => wait.outcomes.filter((outcome) => outcome.status === status).length;
  const pending = count('PENDING') + count('UNKNOWN');
  return [
    `processed: ${count('SUCCEEDED')} succeeded, ${count('FAILED')} failed${wait.timedOut ? `, ${pending} still pending (timed out)` : ''}`,
    renderTable(imageTableColumns, wait.outcomes.map(viewOf), { width: tableWidth }).trimEnd(),
    `the batch and its report (the results task reads AWS: run these where the export line \`npm start\` prints is set):`,
    `  npm run results -- batch ${batchId}`,
    `  npm run results -- report ${batchId}`,
  ];
}

/** An outcome as a table line: with its result row when the API sent one that honours the contract. */
function viewOf(outcome: ImageOutcome): ImageView {
  const row = resultRowSchema.safeParse(outcome.result);
  return row.success ? row.data : { imageId: outcome.imageId, status: outcome.status };
}
