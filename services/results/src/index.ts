export { runResultsCli } from './program.ts';
export { type Progress, silentProgress, streamProgress } from './progress.ts';
export type { AreaBin } from './report/area-histogram.ts';
export {
  type BuildReportOptions,
  type BuiltReport,
  buildReport,
  type ReportFiles,
} from './report/build-report.ts';
export type { ReportScope } from './report/report-scope.ts';
export type { Distribution } from './report/statistics.ts';
export type { ReportSummary } from './report/summary.ts';
export { type WriteReportOptions, type WrittenReport, writeReport } from './report/write-report.ts';
export { createResultsDeps, type ResultsDeps } from './results-deps.ts';
