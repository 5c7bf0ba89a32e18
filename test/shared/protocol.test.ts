import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  foreignSnapshotProtocol,
  isLogEntry,
  isPanelToWorker,
  isWorkerToPanel,
  PROTOCOL_VERSION,
  type LogEntry,
  type PanelToWorker,
  type WorkerToPanel,
} from '../../src/shared/protocol';
import { evaluate } from '../../src/engine';
import type { Exchange } from '../../src/engine/types';

const exchange: Exchange = {
  id: '42',
  method: 'GET',
  type: 'xmlhttprequest',
  tabId: 7,
  initiator: 'https://app.test',
  startTime: 1,
  endTime: 2,
  legs: [
    {
      url: 'https://api.test/items',
      requestHeaders: [{ name: 'Origin', value: 'https://app.test' }],
      response: { statusCode: 200, headers: [] },
    },
  ],
  outcome: { state: 'completed', statusCode: 200 },
};
const entry: LogEntry = { exchange, verdict: evaluate(exchange) };

const panelMessages: PanelToWorker[] = [
  { type: 'hello', protocol: PROTOCOL_VERSION, tabId: 7 },
  { type: 'clear', tabId: 7 },
  { type: 'set-preserve-log', tabId: 7, preserveLog: true },
];

const snapshot: WorkerToPanel = {
  type: 'snapshot',
  protocol: PROTOCOL_VERSION,
  tabId: 7,
  entries: [entry],
  dropped: 0,
  settings: { preserveLog: false },
  health: { unreadableEvents: 2 },
};
const workerMessages: WorkerToPanel[] = [
  snapshot,
  { type: 'upsert', tabId: 7, entry, dropped: 3 },
  { type: 'cleared', tabId: 7, reason: 'navigation' },
  { type: 'settings', tabId: 7, settings: { preserveLog: true } },
  { type: 'health', health: { unreadableEvents: 1 } },
  { type: 'version-mismatch', workerProtocol: 1, panelProtocol: PROTOCOL_VERSION },
];

/** As sent through a port: structured-cloned. */
const cloned = <T>(v: T): T => structuredClone(v);

describe('isPanelToWorker', () => {
  it('accepts every message a panel sends', () => {
    for (const m of panelMessages) expect(isPanelToWorker(cloned(m)), m.type).toBe(true);
  });

  it('rejects what is not one, or lacks what the worker reads', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'hello',
      42,
      [],
      {},
      { type: 'hello', protocol: PROTOCOL_VERSION },
      { type: 'hello', tabId: 7 },
      { type: 'hello', protocol: '2', tabId: 7 },
      { type: 'clear', tabId: '7' },
      { type: 'clear', tabId: 7.5 },
      { type: 'clear', tabId: Number.NaN },
      { type: 'set-preserve-log', tabId: 7 },
      { type: 'set-preserve-log', tabId: 7, preserveLog: 'yes' },
      { type: 'snapshot', tabId: 7 },
      { type: 'bogus', tabId: 7 },
    ];
    for (const m of bad) expect(isPanelToWorker(m), JSON.stringify(m) ?? String(m)).toBe(false);
  });
});

describe('isWorkerToPanel', () => {
  it('accepts every message the worker sends', () => {
    for (const m of workerMessages) expect(isWorkerToPanel(cloned(m)), m.type).toBe(true);
  });

  it('rejects a message with a missing or mistyped field', () => {
    const broken: [string, unknown][] = [
      ['snapshot without health', { ...snapshot, health: undefined }],
      ['snapshot with a negative count', { ...snapshot, health: { unreadableEvents: -1 } }],
      ['snapshot with entries not a list', { ...snapshot, entries: {} }],
      ['snapshot with a malformed entry', { ...snapshot, entries: [entry, { exchange }] }],
      ['snapshot with settings missing', { ...snapshot, settings: null }],
      ['snapshot with dropped a string', { ...snapshot, dropped: '0' }],
      ['upsert without entry', { type: 'upsert', tabId: 7, dropped: 0 }],
      ['upsert without dropped', { type: 'upsert', tabId: 7, entry }],
      ['cleared for an unknown reason', { type: 'cleared', tabId: 7, reason: 'boredom' }],
      ['settings without tab', { type: 'settings', settings: { preserveLog: true } }],
      ['health as a number', { type: 'health', health: 2 }],
      ['mismatch without versions', { type: 'version-mismatch' }],
      ['an unknown type', { type: 'telemetry', tabId: 7 }],
      ['no type', { tabId: 7 }],
    ];
    for (const [what, m] of broken) expect(isWorkerToPanel(m), what).toBe(false);
  });

  it('checks the parts of an entry the panel reads first', () => {
    expect(isLogEntry(entry)).toBe(true);
    expect(isLogEntry({ ...entry, verdict: { ...entry.verdict, title: undefined } })).toBe(false);
    expect(isLogEntry({ ...entry, exchange: { ...exchange, legs: [{}] } })).toBe(false);
    expect(isLogEntry({ ...entry, exchange: { ...exchange, id: 42 } })).toBe(false);
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (m) => {
        isWorkerToPanel(m);
        isPanelToWorker(m);
        foreignSnapshotProtocol(m);
      }),
    );
  });
});

describe('foreignSnapshotProtocol', () => {
  it('is the version of a snapshot from a worker speaking another protocol, whatever its shape', () => {
    expect(foreignSnapshotProtocol({ type: 'snapshot', protocol: 1, tabId: 7, entries: [] })).toBe(1);
    expect(foreignSnapshotProtocol(snapshot)).toBeUndefined();
    expect(foreignSnapshotProtocol({ type: 'upsert', protocol: 1 })).toBeUndefined();
    expect(foreignSnapshotProtocol({ type: 'snapshot' })).toBeUndefined();
  });
});
