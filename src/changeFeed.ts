/**
 * The live channel: one long poll per storage, shared by every view of it.
 *
 * The server (or the kernel, for a widget) answers a wait once the storage's fingerprint
 * differs from the one held; each answer that says "changed" tells the listeners, which
 * then fetch what changed. A storage without cheap fingerprints, or a wait that fails,
 * says "down": the views poll meanwhile, and the feed retries with a growing pause.
 */

export interface ChangeWait {
  /** Null: this storage has no cheap fingerprint (the views keep polling). */
  fingerprint: string | null;
  changed: boolean;
}

/** Wait up to `timeoutS` for the storage's fingerprint to differ from `since`. */
export type WaitForChange = (
  storageId: string,
  since: string | null,
  timeoutS: number
) => Promise<ChangeWait>;

/** `change`: fetch now; `live`: changes will be told; `down`: poll instead. */
export type ChangeEvent = 'change' | 'live' | 'down';

export type ChangeListener = (event: ChangeEvent) => void;

export interface ChangeFeedOptions {
  /** The longest single wait the server is asked for. */
  waitS: number;
  /** Pauses before retrying after a failed wait (the last one repeats). */
  retryMs: number[];
  sleep: (ms: number) => Promise<void>;
}

const DEFAULTS: ChangeFeedOptions = {
  waitS: 20,
  retryMs: [1000, 2000, 5000, 10000, 30000],
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms))
};

interface Channel {
  listeners: Set<ChangeListener>;
  state: ChangeEvent | null;
}

export class ChangeFeed {
  private readonly channels = new Map<string, Channel>();
  private readonly options: ChangeFeedOptions;

  constructor(
    private readonly wait: WaitForChange,
    options: Partial<ChangeFeedOptions> = {}
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Hear of the storage's changes until the returned function is called. */
  subscribe(storageId: string, listener: ChangeListener): () => void {
    let channel = this.channels.get(storageId);
    if (!channel) {
      channel = { listeners: new Set(), state: null };
      this.channels.set(storageId, channel);
      void this.run(storageId, channel);
    } else if (channel.state === 'down' || channel.state === 'live') {
      listener(channel.state);
    }
    channel.listeners.add(listener);
    return () => {
      channel!.listeners.delete(listener);
      if (channel!.listeners.size === 0 && this.channels.get(storageId) === channel) {
        this.channels.delete(storageId);
      }
    };
  }

  private emit(channel: Channel, event: ChangeEvent): void {
    if (event !== 'change') {
      channel.state = event;
    }
    for (const listener of [...channel.listeners]) {
      listener(event);
    }
  }

  /** The wait loop of one storage; it ends when its last listener leaves. */
  private async run(storageId: string, channel: Channel): Promise<void> {
    const active = () => this.channels.get(storageId) === channel;
    let since: string | null = null;
    let failures = 0;
    while (active()) {
      let answer: ChangeWait;
      try {
        answer = await this.wait(storageId, since, since === null ? 0 : this.options.waitS);
      } catch {
        if (active() && channel.state !== 'down') {
          this.emit(channel, 'down');
        }
        const pauses = this.options.retryMs;
        await this.options.sleep(pauses[Math.min(failures, pauses.length - 1)]);
        failures += 1;
        since = null;
        continue;
      }
      if (!active()) {
        return;
      }
      if (answer.fingerprint === null) {
        this.emit(channel, 'down');
        return; // this storage cannot be watched; polling it is
      }
      const reconnected = failures > 0;
      failures = 0;
      if (since === null) {
        this.emit(channel, 'live');
        if (reconnected) {
          this.emit(channel, 'change'); // anything may have changed while it was down
        }
      } else if (answer.changed) {
        this.emit(channel, 'change');
      }
      since = answer.fingerprint;
    }
  }
}
