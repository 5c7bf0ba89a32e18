import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLUSH_MS, StorageWriter } from '../../src/background/storage-writer';
import { FakeStorage } from './fake-browser';

const put = (items: Record<string, object>) => ({ put: items, remove: [] });
const remove = (...keys: string[]) => ({ put: {}, remove: keys });

describe('storage writes', () => {
  let storage: FakeStorage;
  let warnings: unknown[];
  let writer: StorageWriter;

  beforeEach(() => {
    vi.useFakeTimers();
    storage = new FakeStorage();
    warnings = [];
    writer = new StorageWriter(storage, (m, e) => warnings.push([m, e]));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`batches everything changed within ${FLUSH_MS} ms into one set and one remove`, async () => {
    writer.persist(put({ 'x:1': { n: 1 } }), false);
    writer.persist({ put: { 'x:2': { n: 2 }, 't:7': { tabId: 7 } }, remove: ['x:0'] }, false);
    writer.persist(put({ 'x:1': { n: 3 } }), false);
    expect(writer.idle()).toBe(false);
    await vi.advanceTimersByTimeAsync(FLUSH_MS - 1);
    expect(storage.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(storage.calls).toEqual([
      { set: { 'x:1': { n: 3 }, 'x:2': { n: 2 }, 't:7': { tabId: 7 } } },
      { remove: ['x:0'] },
    ]);
    expect(writer.idle()).toBe(true);
  });

  it('writes a key put then removed (or removed then put) once, as its last state', async () => {
    writer.persist(put({ 'x:1': {}, 'x:2': {} }), false);
    writer.persist(remove('x:1'), false);
    writer.persist(remove('x:3'), false);
    writer.persist(put({ 'x:3': { back: true } }), false);
    await vi.advanceTimersByTimeAsync(FLUSH_MS);
    expect(storage.calls).toEqual([{ set: { 'x:2': {}, 'x:3': { back: true } } }, { remove: ['x:1'] }]);
  });

  it('writes an urgent change at once, with everything pending', async () => {
    writer.persist(put({ 'x:1': {} }), false);
    writer.persist(put({ 't:7': { preserveLog: true } }), true);
    expect(storage.calls).toEqual([{ set: { 'x:1': {}, 't:7': { preserveLog: true } } }]);
    await vi.advanceTimersByTimeAsync(FLUSH_MS * 2);
    expect(storage.calls).toHaveLength(1);
    expect(writer.idle()).toBe(true);
  });

  it('does nothing for no change', async () => {
    writer.persist({ put: {}, remove: [] }, false);
    expect(writer.idle()).toBe(true);
    await writer.flush();
    expect(storage.calls).toEqual([]);
  });

  it('is not idle while a write is in flight', async () => {
    writer.persist(put({ 'x:1': {} }), false);
    const written = writer.flush();
    expect(writer.idle()).toBe(false);
    await written;
    expect(writer.idle()).toBe(true);
  });

  it('warns about a failed write and keeps going', async () => {
    storage.fail = true;
    writer.persist(put({ 'x:1': {} }), true);
    await writer.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings).toEqual([['CORS Lens: storage write failed', new Error('quota')]]);
    expect(writer.idle()).toBe(true);
    storage.fail = false;
    writer.persist(put({ 'x:2': {} }), true);
    await vi.advanceTimersByTimeAsync(0);
    expect([...storage.items.keys()]).toEqual(['x:2']);
  });
});
