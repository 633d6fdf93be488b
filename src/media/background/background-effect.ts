// `background="blur"` or a picture: the camera through the background worker. A chunk of its
// own, loaded when a visitor first picks a background; the worker is a file beside it, and
// MediaPipe's files are where `background-assets` says (rtc-room-server serves them).
import { RoomError } from '../../errors.js';
import type { LocalMedia } from '../local-media.js';
import type { BackgroundReport, BackgroundRequest } from './background-worker.js';

/** Beside this module: in the script-tag build the build rewrites it, in the package it is. */
const WORKER_URL = new URL('./background-worker.js', import.meta.url).href;

/** Where rtc-room-server serves MediaPipe's files: beside the chunks' folder. */
export const DEFAULT_ASSETS = new URL('../mediapipe/', import.meta.url).href;

/** The largest side of a picture drawn behind the visitor: the camera's 640×360 at most. */
const PICTURE_WIDTH = 640;
const PICTURE_HEIGHT = 360;

/** The breakout box, which Chromium has on the page's thread (not in lib.dom yet). */
declare const MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack }) => {
  readable: ReadableStream<VideoFrame>;
};
declare const MediaStreamTrackGenerator: new (init: { kind: 'video' }) => MediaStreamTrack & {
  writable: WritableStream<VideoFrame>;
};

/** What the effect tells the media it serves. */
type EffectMedia = Pick<LocalMedia, 'backgroundReduced' | 'backgroundFailed'>;

const failure = (message: string, cause?: unknown): RoomError =>
  new RoomError('background-failed', message, { cause });

/**
 * A picture for the background: fetched (CORS: it becomes video that is sent) and cut to the
 * camera's size. Rejects with a RoomError.
 */
export async function loadPicture(url: string): Promise<ImageBitmap> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return await createImageBitmap(await response.blob(), {
      resizeWidth: PICTURE_WIDTH,
      resizeHeight: PICTURE_HEIGHT,
      resizeQuality: 'medium',
    });
  } catch (error) {
    throw failure(`The background picture ${url} could not be loaded`, error);
  }
}

/**
 * A picture file as a data: URL small enough to remember (a JPEG at the camera's size). Rejects
 * with a RoomError.
 */
export async function pictureFromFile(file: Blob): Promise<string> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw failure('That file is not a picture this browser can read', error);
  }
  const scale = Math.min(1, PICTURE_WIDTH / bitmap.width, PICTURE_HEIGHT / bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return canvas.toDataURL('image/jpeg', 0.85);
}

/**
 * Asks the visitor for a picture file (during their gesture), as `pictureFromFile` makes it;
 * '' when they cancel.
 */
export function choosePicture(): Promise<string> {
  const input = Object.assign(document.createElement('input'), { type: 'file', accept: 'image/*' });
  const chosen = new Promise<Blob | undefined>((resolve) => {
    input.onchange = () => resolve(input.files?.[0]);
    input.oncancel = () => resolve(undefined);
  });
  input.click();
  return chosen.then((file) => (file ? pictureFromFile(file) : ''));
}

// A worker from another origin cannot be started by URL: a same-origin script imports it.
function startWorker(url: string): Worker {
  const bootstrap = new Blob([`importScripts(${JSON.stringify(url)})`], {
    type: 'text/javascript',
  });
  const blobUrl = URL.createObjectURL(bootstrap);
  try {
    return new Worker(blobUrl);
  } finally {
    URL.revokeObjectURL(blobUrl);
  }
}

/**
 * The camera with its background blurred or replaced: one worker and one output track for the
 * life of a LocalMedia, so a camera switch replaces nothing on the links. `ready` resolves once
 * MediaPipe has loaded (until then the camera goes out as it is).
 */
export class BackgroundEffect {
  private readonly worker: Worker;
  private readonly generator = new MediaStreamTrackGenerator({ kind: 'video' });
  /** Resolves with the output track once the worker segments; rejects with a RoomError. */
  private readonly ready: Promise<MediaStreamTrack>;
  private camera: MediaStreamTrack | null = null;
  private backdrop = '';

  /**
   * @param media told when the worker cuts its work and when it fails
   * @param assets where MediaPipe's files are
   */
  constructor(media: EffectMedia, assets: string = DEFAULT_ASSETS) {
    this.worker = startWorker(WORKER_URL);
    let isReady = false;
    this.ready = new Promise((resolve, reject) => {
      const fail = (message: string): void => {
        const error = failure(message);
        // Before it is ready, `apply` rejects and its caller reports; after, the media does.
        if (isReady) media.backgroundFailed(error, true);
        reject(error);
        this.close();
      };
      this.worker.onmessage = ({ data }: MessageEvent<BackgroundReport>) => {
        if (data.type === 'ready') {
          isReady = true;
          resolve(this.generator);
        } else if (data.type === 'failed') fail(data.message);
        else media.backgroundReduced();
      };
      this.worker.onerror = (event) => {
        event.preventDefault();
        fail(`The background effect failed: ${event.message}`);
      };
    });
    const output = this.generator.writable;
    this.post({ type: 'start', assets: new URL(assets, document.baseURI).href, output }, [output]);
  }

  private post(request: BackgroundRequest, transfer: Transferable[] = []): void {
    this.worker.postMessage(request, transfer);
  }

  /**
   * The camera with `background` (`blur` or a picture's URL) done, once the worker segments;
   * rejects with a RoomError.
   */
  async apply(camera: MediaStreamTrack, background: string): Promise<MediaStreamTrack> {
    if (background !== this.backdrop) {
      this.backdrop = background;
      const picture = background === 'blur' ? null : await loadPicture(background);
      this.post({ type: 'backdrop', picture }, picture ? [picture] : []);
    }
    if (camera !== this.camera) {
      this.camera = camera;
      const input = new MediaStreamTrackProcessor({ track: camera }).readable;
      this.post({ type: 'camera', input }, [input as unknown as Transferable]);
    }
    return this.ready;
  }

  /** Stops the output and the worker. */
  close(): void {
    this.post({ type: 'stop' });
    this.generator.stop();
    // Let the worker close MediaPipe, then end it.
    setTimeout(() => this.worker.terminate(), 1000);
  }
}
