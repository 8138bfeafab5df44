/**
 * `POST …/v1/uploads/images` and the files the simulator hands out: uploads under
 * `/sim/uploads/:file` (the newest `maxUploads` are kept) and placeholder results under
 * `/sim/images/:taskId/:index.png` (once completed, until they expire after `resultTtlSeconds`).
 * With `secretFileUrls` the names carry a random token (`upload_1a2b3c4d-<token>.png`,
 * `<index>-<token>.png`) and a URL without it answers 404. With `filesOrigin` the URLs handed out
 * start there instead of at the request's own base.
 */
import type { ImageMimeType } from '../../src/core/models';
import { IMAGE_EXTENSIONS, formatBytes, sniffImageType } from '../../src/core/util';
import type { SimContext } from './context';
import { headerFaults } from './faults';
import { renderPlaceholder } from './png';
import { baseOf, fileNotFound, json, uploadError } from './responses';
import { mix32, secretToken, type SimSettings } from './settings';
import type { TaskStore } from './tasks';
import type { SimulatorFault } from './types';
import { imageDimensions } from './validate';

/** Multipart framing allowed on top of the file itself. */
const UPLOAD_OVERHEAD_BYTES = 64 * 1024;

export interface UploadRecord {
  id: string;
  file: string;
  mimeType: string;
  bytes: Uint8Array;
}

export function createFileHandlers({ settings, stats, tasks, randomId }: SimContext) {
  const { maxUploads } = settings;
  const uploads = new Map<string, UploadRecord>();

  async function handleUpload(request: Request): Promise<Response> {
    stats.uploads++;
    const read = await readUploadedImage(request, settings);
    if (read instanceof Response) return read;
    const { bytes, mimeType } = read;

    const id = randomId('upload_', 8, '0123456789abcdef');
    const name = settings.secretFileUrls ? `${id}-${secretToken()}` : id;
    const record: UploadRecord = { id, file: `${name}.${IMAGE_EXTENSIONS[mimeType]}`, mimeType, bytes };
    uploads.set(record.file, record);
    while (uploads.size > maxUploads) {
      const oldest = uploads.keys().next().value;
      if (oldest === undefined) break;
      uploads.delete(oldest);
    }
    return json(200, {
      success: true,
      message: '',
      data: {
        id,
        url: `${settings.filesOrigin ?? baseOf(request, '/v1/uploads/images')}/sim/uploads/${record.file}`,
        mime_type: mimeType,
        size: bytes.byteLength,
      },
    });
  }

  function handleUploadFile(file: string): Response {
    const record = uploads.get(file);
    if (!record) return fileNotFound();
    return new Response(record.bytes.slice(), {
      status: 200,
      headers: {
        'Content-Type': record.mimeType,
        'Content-Length': String(record.bytes.byteLength),
        'Cache-Control': 'public, max-age=3600',
      },
    });
  }

  /** The upload a URL the simulator handed out names (`…/sim/uploads/<file>`), if it is still kept. */
  function uploadAt(url: string): UploadRecord | undefined {
    let pathname: string;
    try {
      pathname = new URL(url).pathname;
    } catch {
      return undefined;
    }
    const file = /\/sim\/uploads\/([^/]+)$/.exec(pathname)?.[1];
    return file === undefined ? undefined : uploads.get(decodeURIComponent(file));
  }

  return {
    handleUpload,
    handleUploadFile,
    uploadAt,
    handleImage: (taskId: string, file: string): Response => imageFile(tasks, settings, taskId, file),
    clear: () => uploads.clear(),
  };
}

/**
 * The image of an upload request, or the error the upload endpoint answers (the `upload_rejected`
 * fault, not multipart, too large, unreadable, missing, empty, not an image).
 */
async function readUploadedImage(
  request: Request,
  settings: SimSettings,
): Promise<Response | { bytes: Uint8Array; mimeType: ImageMimeType }> {
  const { maxUploadBytes } = settings;
  const faults = new Set<SimulatorFault>([...settings.faults, ...headerFaults(request)]);
  // The upload endpoint names its limit without a space before the unit ("10MB").
  const limit = formatBytes(maxUploadBytes).replace(/ ([KMGT]B)$/, '$1');
  const tooLarge = uploadError(`File too large; the maximum is ${limit} per file.`);
  if (faults.has('upload_rejected')) return uploadError('The upload was rejected; please try another image.');

  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data/i.test(contentType)) {
    return uploadError('Send the image as multipart/form-data with a "file" field.');
  }
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxUploadBytes + UPLOAD_OVERHEAD_BYTES) return tooLarge;

  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return uploadError('The multipart body could not be read.');
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string') return uploadError('Missing the "file" field.');
  if (file.size === 0) return uploadError('The file is empty.');
  if (file.size > maxUploadBytes) return tooLarge;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mimeType = sniffImageType(bytes);
  if (!mimeType) return uploadError('Unsupported file type; use JPEG, PNG, WebP or GIF.');
  return { bytes, mimeType };
}

/**
 * `GET /sim/images/:taskId/:file`: the placeholder of a completed task's image until it expires (or
 * of an image a running task already handed out, kind profile).
 */
function imageFile(tasks: TaskStore, settings: SimSettings, taskId: string, file: string): Response {
  const { now, resultTtlSeconds } = settings;
  const task = tasks.get(taskId);
  const match = /^(\d{1,2})(?:-([0-9a-f]{32}))?\.png$/.exec(file);
  if (!task || !match || match[2] !== task.fileToken) return fileNotFound();
  const index = Number(match[1]);
  const phase = tasks.phaseOf(task, now());
  if (!tasks.imageReady(task, index, now())) return fileNotFound();
  if (phase.status === 'completed' && now() / 1000 > phase.completedAt + resultTtlSeconds) return fileNotFound();
  const [width, height] = imageDimensions(task.size);
  const png = renderPlaceholder(width, height, mix32(task.colorSeed + Math.imul(index, 0x9e3779b9)), task.repaint);
  return new Response(png, {
    status: 200,
    headers: {
      'Content-Type': 'image/png',
      'Content-Length': String(png.byteLength),
      'Cache-Control': 'public, max-age=86400, immutable',
    },
  });
}
