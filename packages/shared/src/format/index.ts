export { formatBytes, formatRate, formatSeconds } from './units.ts';
