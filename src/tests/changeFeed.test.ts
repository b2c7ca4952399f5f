import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChangeEvent, ChangeFeed, ChangeWait } from '../changeFeed';

/** A fake server: each wait is held until the test answers it. */
class Waits {
  calls: { storageId: string; since: string | null; timeoutS: number }[] = [];
  private pending: { resolve: (w: ChangeWait) => void; reject: (e: Error) => void }[] = [];

  wait = (storageId: string, since: string | null, timeoutS: number): Promise<ChangeWait> => {
    this.calls.push({ storageId, since, timeoutS });
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  };

  async answer(fingerprint: string | null, changed = true): Promise<void> {
    this.pending.shift()!.resolve({ fingerprint, changed });
    await settle();
  }

  async fail(): Promise<void> {
    this.pending.shift()!.reject(new Error('offline'));
    await settle();
  }
}

const settle = () => new Promise(resolve => setImmediate(resolve));
const noSleep = () => Promise.resolve();

test('a storage change is told to every view of it, through one wait', async () => {
  const waits = new Waits();
  const feed = new ChangeFeed(waits.wait, { sleep: noSleep });
  const a: ChangeEvent[] = [];
  const b: ChangeEvent[] = [];
  feed.subscribe('s1', e => a.push(e));
  feed.subscribe('s1', e => b.push(e));
  assert.deepEqual(waits.calls, [{ storageId: 's1', since: null, timeoutS: 0 }]);
  await waits.answer('f1');
  assert.deepEqual(a, ['live']);
  assert.deepEqual(waits.calls[1], { storageId: 's1', since: 'f1', timeoutS: 20 });
  await waits.answer('f1', false); // the wait ran out: nothing to tell
  await waits.answer('f2');
  assert.deepEqual(a, ['live', 'change']);
  assert.deepEqual(b, ['live', 'change']);
  assert.equal(waits.calls.length, 4);
  assert.equal(waits.calls[3].since, 'f2');
});

test('a view that comes later hears the state at once', async () => {
  const waits = new Waits();
  const feed = new ChangeFeed(waits.wait, { sleep: noSleep });
  feed.subscribe('s1', () => undefined);
  await waits.answer('f1');
  const late: ChangeEvent[] = [];
  feed.subscribe('s1', e => late.push(e));
  assert.deepEqual(late, ['live']);
  assert.equal(waits.calls.length, 2); // still one wait for both
});

test('a storage without fingerprints is down for good: its views poll', async () => {
  const waits = new Waits();
  const feed = new ChangeFeed(waits.wait, { sleep: noSleep });
  const events: ChangeEvent[] = [];
  feed.subscribe('mysql', e => events.push(e));
  await waits.answer(null);
  assert.deepEqual(events, ['down']);
  assert.equal(waits.calls.length, 1);
});

test('a failed wait says down, retries, and asks for a fetch once back', async () => {
  const waits = new Waits();
  const slept: number[] = [];
  const feed = new ChangeFeed(waits.wait, {
    retryMs: [10, 20],
    sleep: ms => {
      slept.push(ms);
      return Promise.resolve();
    }
  });
  const events: ChangeEvent[] = [];
  feed.subscribe('s1', e => events.push(e));
  await waits.answer('f1');
  await waits.fail();
  await waits.fail();
  await waits.fail();
  assert.deepEqual(slept, [10, 20, 20]);
  await waits.answer('f9');
  assert.deepEqual(events, ['live', 'down', 'live', 'change']);
  assert.equal(waits.calls.at(-1)!.since, 'f9');
});

test('the wait loop ends with the last view', async () => {
  const waits = new Waits();
  const feed = new ChangeFeed(waits.wait, { sleep: noSleep });
  const events: ChangeEvent[] = [];
  const stop = feed.subscribe('s1', e => events.push(e));
  await waits.answer('f1');
  stop();
  await waits.answer('f2');
  assert.deepEqual(events, ['live']);
  assert.equal(waits.calls.length, 2); // no wait after the one in flight
  // and a new view starts a new loop from scratch
  feed.subscribe('s1', () => undefined);
  assert.deepEqual(waits.calls[2], { storageId: 's1', since: null, timeoutS: 0 });
});
