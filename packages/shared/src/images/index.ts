export { sniffBytes, sniffImageType } from './image-sniff.ts';
export { unreadableImageError } from './unreadable-image.ts';
