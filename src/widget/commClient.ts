import { ArtifactOwner, ArtifactText, DashboardAPIError } from '../client';
import { RequestOptions, RouteClient, artifactsPath } from '../routeClient';
import { objectUrlType } from '../artifactTypes';

/** The part of an anywidget model the client uses. */
export interface CommModel {
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[]): void;
  on(event: 'msg:custom', handler: (msg: unknown, buffers: DataView[]) => void): void;
  off(event: 'msg:custom', handler: (msg: unknown, buffers: DataView[]) => void): void;
}

interface Reply {
  type: 'response';
  id: number;
  status: number;
  content_type: string;
  data?: unknown;
}

interface Raw {
  status: number;
  contentType: string;
  data: unknown;
  bytes: DataView | null;
}

const TIMEOUT_MS = 30_000;
const PLOTLY_TIMEOUT_MS = 120_000;

/**
 * DashboardClient over the widget comm: each request carries an id and is answered by
 * the kernel (`jupyterlab_optuna.widgets._transport`), or fails after a timeout with a
 * message saying the kernel is not available. Artifacts travel as binary buffers and
 * show through object URLs, so nothing needs a server URL.
 */
export class CommClient extends RouteClient {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (r: Raw) => void; reject: (e: Error) => void; timer: number }
  >();
  private readonly objectUrls = new Map<string, string>();

  constructor(private readonly model: CommModel) {
    super();
    model.on('msg:custom', this.onMessage);
  }

  /** Stop listening and free the artifacts' object URLs (the view is gone). */
  dispose(): void {
    this.model.off('msg:custom', this.onMessage);
    for (const url of this.objectUrls.values()) {
      URL.revokeObjectURL(url);
    }
    this.objectUrls.clear();
    for (const [id, p] of this.pending) {
      window.clearTimeout(p.timer);
      p.reject(new DashboardAPIError('The widget was closed.', 0));
      this.pending.delete(id);
    }
  }

  private readonly onMessage = (msg: unknown, buffers: DataView[]): void => {
    const reply = msg as Reply;
    if (!reply || reply.type !== 'response') {
      return;
    }
    const waiting = this.pending.get(reply.id);
    if (!waiting) {
      return;
    }
    this.pending.delete(reply.id);
    window.clearTimeout(waiting.timer);
    const raw = {
      status: reply.status,
      contentType: reply.content_type,
      data: reply.data,
      bytes: buffers && buffers.length > 0 ? buffers[0] : null
    };
    if (reply.status >= 400) {
      const body = (reply.data ?? {}) as Record<string, unknown>;
      const message =
        typeof body.message === 'string' ? body.message : `The kernel answered ${reply.status}.`;
      waiting.reject(new DashboardAPIError(message, reply.status, body));
    } else {
      waiting.resolve(raw);
    }
  };

  /** Send one request over the comm and wait for its answer. */
  send(
    method: string,
    path: string[],
    options: RequestOptions = {},
    timeoutMs = TIMEOUT_MS
  ): Promise<Raw> {
    const id = this.nextId++;
    const { body, query } = options;
    const message: Record<string, unknown> = { type: 'request', id, method, path: path.join('/') };
    if (query) {
      message.query = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)]));
    }
    let buffers: ArrayBuffer[] | undefined;
    const sending =
      body instanceof Blob
        ? body.arrayBuffer().then(b => {
            buffers = [b];
            message.content_type = body.type || 'application/octet-stream';
          })
        : Promise.resolve((message.body = body ?? null));
    return sending.then(
      () =>
        new Promise<Raw>((resolve, reject) => {
          const timer = window.setTimeout(() => {
            this.pending.delete(id);
            reject(
              new DashboardAPIError(
                `Kernel not available: no answer within ${Math.round(timeoutMs / 1000)} s. ` +
                  'Is the kernel busy or stopped? Restart it and run the cell again.',
                0
              )
            );
          }, timeoutMs);
          this.pending.set(id, { resolve, reject, timer });
          try {
            this.model.send(message, undefined, buffers);
          } catch (e) {
            window.clearTimeout(timer);
            this.pending.delete(id);
            reject(new DashboardAPIError(`Kernel not available: ${String(e)}`, 0));
          }
        })
    );
  }

  async request<T>(method: string, path: string[], options: RequestOptions = {}): Promise<T> {
    const raw = await this.send(method, path, options);
    return (raw.data ?? {}) as T;
  }

  /** plotly.js from the kernel's plotly package, evaluated as a CommonJS module. */
  async loadPlotly<M>(): Promise<M> {
    const raw = await this.send('GET', ['static', 'plotly.min.js'], {}, PLOTLY_TIMEOUT_MS);
    const code = new TextDecoder().decode(raw.bytes!);
    const module: { exports: unknown } = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('module', 'exports', 'define', code)(module, module.exports, undefined);
    return module.exports as M;
  }

  trialsCsvUrl(): null {
    return null;
  }

  async artifactUrl(owner: ArtifactOwner, artifactId: string): Promise<string> {
    const key = [...artifactsPath(owner), artifactId].join('/');
    const cached = this.objectUrls.get(key);
    if (cached) {
      return cached;
    }
    const blob = await this.artifactBlob(owner, artifactId);
    // An object URL has this page's origin: a type that can carry script (HTML, SVG)
    // would run here if opened, so such files only ever download.
    const url = URL.createObjectURL(blob.slice(0, blob.size, objectUrlType(blob.type)));
    this.objectUrls.set(key, url);
    return url;
  }

  async artifactText(
    owner: ArtifactOwner,
    artifactId: string,
    maxBytes: number
  ): Promise<ArtifactText> {
    const blob = await this.artifactBlob(owner, artifactId);
    return { text: await blob.slice(0, maxBytes).text(), truncated: blob.size > maxBytes };
  }

  private async artifactBlob(owner: ArtifactOwner, artifactId: string): Promise<Blob> {
    const raw = await this.send('GET', [...artifactsPath(owner), artifactId]);
    const bytes = raw.bytes ?? new DataView(new ArrayBuffer(0));
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return new Blob([copy], { type: raw.contentType });
  }
}
