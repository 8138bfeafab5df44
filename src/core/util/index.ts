/**
 * Small framework-free helpers that the kit (`src/core`, `src/store`), the proxy and the simulator
 * share, so each exists once. Internal: the public names among them are re-exported by
 * `protocol.ts` and `references.ts` as before.
 */
export { formatBytes } from './bytes';
export {
  downloadFileName,
  fileNameTaskId,
  imageExtension,
  promptSlug,
  selectionZipName,
  taskZipName,
  uniqueFileNames,
  type DownloadNameParts,
} from './download-name';
export { IMAGE_EXTENSIONS, UPLOAD_MAX_BYTES, asciiBytes, bytesStartWith, safeFileName, sniffImageType } from './image';
export { isRecord } from './record';
export { isHttpUrl, isSafeUrl } from './url';
