export { type WriteReportOptions, type WrittenReport, writeReport } from './adapters/write-report.ts';
export type { AreaBin } from './core/report/area-histogram.ts';
export {
  type BuildReportOptions,
  type BuiltReport,
  buildReport,
  type ReportDeps,
  type ReportFiles,
} from './core/report/build-report.ts';
export type { ReportScope } from './core/report/report-scope.ts';
export type { Distribution } from './core/report/statistics.ts';
export type { ReportSummary } from './core/report/summary.ts';
export { type Progress, silentProgress } from './core/results-ports.ts';
export { streamProgress } from './edge/output/progress.ts';
export { runResultsCli } from './entry/program.ts';
export { createResultsDeps, type ResultsDeps } from './entry/results-deps.ts';
