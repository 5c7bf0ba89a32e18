import { afterEach, describe, expect, it, vi } from 'vitest';
import { PORT_NAME, PROTOCOL_VERSION, type WorkerToPanel } from '../../src/shared/protocol';
import type { PanelAction } from '../../src/panel/state';
import { FakePort } from '../background/fake-browser';

// The extension API is not the thing under test: runtime.connect hands out in-memory ports.
const opened: FakePort[] = [];
vi.mock('../../src/platform/browser', () => ({
  default: {
    runtime: {
      connect: ({ name }: { name: string }) => {
        const port = Object.assign(new FakePort(name), { disconnect: () => undefined });
        opened.push(port);
        return port;
      },
    },
  },
}));

const { actionOf, connect } = await import('../../src/panel/connection');

afterEach(() => {
  opened.length = 0;
  vi.restoreAllMocks();
});

const health: WorkerToPanel = { type: 'health', health: { unreadableEvents: 1 } };

describe('panel connection', () => {
  it('says hello, then hands checked messages to the store and drops malformed ones with a counted warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dispatched: PanelAction[] = [];
    const connection = connect(7, (actions) => dispatched.push(...actions));
    const port = opened[0]!;
    expect(port.name).toBe(PORT_NAME);
    expect(port.posted).toEqual([{ type: 'hello', protocol: PROTOCOL_VERSION, tabId: 7 }]);
    port.send(health);
    port.send({ type: 'upsert', tabId: 7 });
    port.send({ type: 'eval', code: '1' });
    port.send({ type: 'cleared', tabId: 7, reason: 'user' });
    await new Promise((r) => setTimeout(r, 0));
    expect(dispatched).toEqual([
      { type: 'connecting', tabId: 7 },
      health,
      { type: 'cleared', tabId: 7, reason: 'user' },
    ]);
    expect(connection.rejectedMessages()).toBe(2);
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      'CORS Lens: dropped a malformed message from the worker (1 so far)',
      'CORS Lens: dropped a malformed message from the worker (2 so far)',
    ]);
    connection.stop();
  });
});

describe('actionOf', () => {
  it('passes a well-formed message, turns a foreign snapshot into a mismatch, drops the rest', () => {
    expect(actionOf(health)).toBe(health);
    expect(actionOf({ type: 'snapshot', protocol: 1, tabId: 7, entries: [], dropped: 0 })).toEqual({
      type: 'version-mismatch',
      workerProtocol: 1,
      panelProtocol: PROTOCOL_VERSION,
    });
    expect(actionOf({ type: 'snapshot', protocol: PROTOCOL_VERSION, tabId: 7 })).toBeUndefined();
    expect(actionOf(null)).toBeUndefined();
  });
});
