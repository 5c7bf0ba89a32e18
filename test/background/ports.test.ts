import { describe, expect, it } from 'vitest';
import { PortRegistry } from '../../src/background/ports';
import type { WorkerToPanel } from '../../src/shared/protocol';
import { FakePort } from './fake-browser';

const cleared = (tabId: number): WorkerToPanel => ({ type: 'cleared', tabId, reason: 'user' });

describe('port registry', () => {
  it("posts a tab's messages to that tab's panels only", () => {
    const ports = new PortRegistry();
    const a = new FakePort('p');
    const b = new FakePort('p');
    const other = new FakePort('p');
    ports.subscribe(a, 7);
    ports.subscribe(b, 7);
    ports.subscribe(other, 8);
    expect(ports.subscribed(7)).toBe(true);
    expect(ports.subscribed(9)).toBe(false);
    ports.post(7, cleared(7));
    expect(a.posted).toEqual([cleared(7)]);
    expect(b.posted).toEqual([cleared(7)]);
    expect(other.posted).toEqual([]);
    ports.postAll({ type: 'health', health: { unreadableEvents: 1 } });
    expect(other.posted).toEqual([{ type: 'health', health: { unreadableEvents: 1 } }]);
    expect(a.posted).toHaveLength(2);
  });

  it('a hello again moves a panel to another tab', () => {
    const ports = new PortRegistry();
    const a = new FakePort('p');
    ports.subscribe(a, 7);
    ports.subscribe(a, 8);
    expect(ports.size).toBe(1);
    expect(ports.subscribed(7)).toBe(false);
    expect(ports.subscribed(8)).toBe(true);
  });

  it('forgets a port that was closed, or that cannot take a message', () => {
    const ports = new PortRegistry();
    const gone = new FakePort('p');
    const dead = new FakePort('p');
    const live = new FakePort('p');
    ports.subscribe(gone, 7);
    ports.subscribe(dead, 7);
    ports.subscribe(live, 7);
    ports.unsubscribe(gone);
    dead.closed = true;
    ports.post(7, cleared(7));
    expect(ports.size).toBe(1);
    expect(gone.posted).toEqual([]);
    expect(live.posted).toEqual([cleared(7)]);
    ports.unsubscribe(live);
    expect(ports.subscribed(7)).toBe(false);
  });
});
