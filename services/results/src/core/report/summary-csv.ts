import { toCsv } from '../format/csv.ts';
import type { Distribution } from './statistics.ts';
import type { ReportSummary } from './summary.ts';

const distributionKeys = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'max'] as const;

/** The summary as long-format CSV (section, name, value), easy to filter in a spreadsheet. */
export function summaryCsv(summary: ReportSummary): string {
  const rows: [string, string, string | number | null][] = [];
  const scope = summary.scope;
  rows.push(['scope', 'kind', scope.kind]);
  if (scope.kind === 'batch') rows.push(['scope', 'batchId', scope.batchId]);
  else
    rows.push(
      ['scope', 'since', scope.since],
      ['scope', 'until', scope.until],
      ['scope', 'status', scope.status],
    );
  rows.push(['report', 'generatedAt', summary.generatedAt]);
  for (const [status, count] of Object.entries(summary.counts)) rows.push(['counts', status, count]);
  for (const failure of summary.failureCodes) rows.push(['failureCodes', failure.code, failure.count]);
  for (const bin of summary.area.histogram) rows.push(['areaHistogram', bin.label, bin.count]);
  for (const bin of summary.foregroundRatioHistogram)
    rows.push(['foregroundRatioHistogram', bin.label, bin.count]);
  const distribution = (section: string, value: Distribution) => {
    for (const key of distributionKeys) rows.push([section, key, value[key]]);
  };
  distribution('areaPx', summary.area.px);
  distribution('foregroundRatio', summary.foregroundRatio);
  distribution('processingMs', summary.processingMs);
  for (const [stage, value] of Object.entries(summary.stagesMs)) distribution(`stage.${stage}`, value);
  distribution('uploadToResultMs', summary.uploadToResultMs);
  for (const [provider, count] of Object.entries(summary.executionProviders)) {
    rows.push(['executionProviders', provider, count]);
  }
  rows.push(['attempts', 'retried', summary.retried]);
  rows.push(['throughput', 'binMinutes', summary.throughput.binMinutes]);
  for (const bin of summary.throughput.bins) rows.push(['throughputRows', bin.start, bin.rows]);
  for (const batch of summary.batches) {
    rows.push([`batch.${batch.batchId}`, 'total', batch.counts.total]);
    rows.push([`batch.${batch.batchId}`, 'FAILED', batch.counts.FAILED]);
  }
  return toCsv(['section', 'name', 'value'], rows);
}
