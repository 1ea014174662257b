/**
 * The results table's keys and indexes: one item per image (partition key imageId), a batch index that
 * lists a batch in upload order (image ids are ULIDs, so they sort by upload time), and a day index for
 * time-range listings without a scan.
 */
export const resultsTableKeys = {
  partitionKey: 'imageId',
  batchIndex: { name: 'byBatch', partitionKey: 'batchId', sortKey: 'imageId' },
  uploadDayIndex: { name: 'byUploadDay', partitionKey: 'uploadDay', sortKey: 'imageId' },
} as const;
