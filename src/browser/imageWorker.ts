/**
 * Off-main-thread image re-encoding for the reference downscaler: decode + scale with
 * `createImageBitmap`, encode with `OffscreenCanvas.convertToBlob`, all inside this worker, so a
 * 12-megapixel photo never blocks the page (benchmark: a 275 ms main-thread task before).
 */
interface EncodeRequest {
  id: number;
  /** `measure` only reports the decoded size; `encode` (the default) re-encodes at width × height. */
  op?: 'measure' | 'encode' | 'thumbnail';
  file: Blob;
  width: number;
  height: number;
  type: string;
  quality: number;
}

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EncodeRequest>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = (event) => {
  const { id, op, file, width, height, type, quality } = event.data;
  void (async () => {
    try {
      if (op === 'thumbnail') {
        const small = await createImageBitmap(file, { resizeWidth: width, resizeQuality: 'medium' });
        const canvas = new OffscreenCanvas(small.width, small.height);
        canvas.getContext('2d')?.drawImage(small, 0, 0);
        small.close();
        scope.postMessage({ id, blob: await canvas.convertToBlob({ type, quality }) });
        return;
      }
      if (op === 'measure') {
        const probe = await createImageBitmap(file);
        scope.postMessage({ id, width: probe.width, height: probe.height });
        probe.close();
        return;
      }
      const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height, resizeQuality: 'high' });
      const canvas = new OffscreenCanvas(width, height);
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
      bitmap.close();
      scope.postMessage({ id, blob: await canvas.convertToBlob({ type, quality }) });
    } catch (error) {
      scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
};
