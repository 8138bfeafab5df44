/** Record factories: every reference and notice the store holds starts from one of these. */
import type { ReferenceItem, TrayNotice } from './types';

/** What a new reference is made from; the rest starts empty (no hash, no size, no error). */
export type NewReferenceFields = Pick<ReferenceItem, 'id' | 'name' | 'state'> & Partial<Omit<ReferenceItem, 'id' | 'name' | 'state'>>;

export function newReference(fields: NewReferenceFields): ReferenceItem {
  return {
    size: 0,
    mimeType: undefined,
    progress: fields.state === 'ready' ? 100 : null,
    url: undefined,
    previewUrl: undefined,
    hash: undefined,
    width: undefined,
    height: undefined,
    error: undefined,
    downscaled: false,
    ...fields,
  };
}

/** The reference is still being checked or uploaded. */
export function isUploading(r: Pick<ReferenceItem, 'state'>): boolean {
  return r.state === 'checking' || r.state === 'uploading';
}

/** A hosted image (a result, a saved upload): ready at once, its URL is also its thumbnail. */
export function hostedReference(id: string, url: string, name: string, size: { width?: number | undefined; height?: number | undefined } = {}): ReferenceItem {
  return newReference({ id, name, state: 'ready', url, previewUrl: url, width: size.width, height: size.height });
}

export type NoticeFields = Omit<TrayNotice, 'id'>;

export function newNotice(id: string, fields: NoticeFields): TrayNotice {
  return { id, code: fields.code, fileName: fields.fileName, ...(fields.params && { params: fields.params }), message: fields.message };
}

/** Notices kept at once (the oldest go first). */
export const MAX_NOTICES = 8;

export const EXPIRED_REFERENCE_MESSAGE =
  'This image has expired (results are kept 24 hours); generate it again to use it as a reference.';
