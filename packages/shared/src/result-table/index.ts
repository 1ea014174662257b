export {
  countByStatus,
  type ImageView,
  imageColumnsHelp,
  imageTableColumns,
  rowOf,
  s3Uri,
} from './image-columns.ts';
export { cut, renderTable, type TableColumn, type TableOptions } from './text-table.ts';
