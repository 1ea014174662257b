export { jobsQueueDefaults } from './queue-settings.ts';
export { defaultResourceNames, type ResourceNames } from './resource-names.ts';
export { resultsTableKeys } from './results-table.ts';
