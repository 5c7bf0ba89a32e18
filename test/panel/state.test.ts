import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PROTOCOL_VERSION, type LogEntry, type WorkerToPanel } from '../../src/shared/protocol';
import {
  countEntries,
  filterEntries,
  initialState,
  reduce,
  reduceAll,
  refiningFilter,
  searchKey,
  warmSearchKeys,
  type FilterKind,
  type PanelAction,
} from '../../src/panel/state';
import { createStore } from '../../src/panel/store';
import { annotateLog } from '../../src/engine/cross-call';
import { allowed, blockedPreflight, noCorsImage, pending, reflected, refused } from '../report/sample';

const TAB = 7;
const snapshot = (entries: LogEntry[], dropped = 0): WorkerToPanel => ({
  type: 'snapshot',
  protocol: PROTOCOL_VERSION,
  tabId: TAB,
  entries,
  dropped,
  settings: { preserveLog: false },
  health: { unreadableEvents: 0 },
});
const upsert = (entry: LogEntry, dropped = 0): WorkerToPanel => ({
  type: 'upsert',
  tabId: TAB,
  entry,
  dropped,
});
const ids = (entries: LogEntry[]) => entries.map((e) => e.exchange.id);
const run = (...actions: PanelAction[]) => reduceAll(initialState(TAB), actions);

describe('panel reducer', () => {
  test('starts connecting to its tab, or says there is no tab', () => {
    expect(initialState(TAB).connection).toBe('connecting');
    expect(initialState(null).connection).toBe('no-tab');
  });

  test('a snapshot replaces the log and marks the panel connected', () => {
    const s = run(upsert(allowed('x')), snapshot([blockedPreflight('1'), allowed('2')], 3));
    expect(s.connection).toBe('connected');
    expect(s.snapshotReceived).toBe(true);
    expect(ids(s.entries)).toEqual(['1', '2']);
    expect(s.dropped).toBe(3);
  });

  test('an empty snapshot is "nothing captured yet", not "loading"', () => {
    const s = run(snapshot([]));
    expect(s.snapshotReceived).toBe(true);
    expect(s.entries).toEqual([]);
  });

  test('upsert appends new calls and replaces updated ones in place', () => {
    const inFlight = run(snapshot([blockedPreflight('1')]), upsert(pending('2')), upsert(reflected('3')));
    expect(inFlight.entries[1]!.verdict.outcome).toBe('pending');
    const s = reduce(inFlight, upsert(allowed('2')));
    expect(ids(s.entries)).toEqual(['1', '2', '3']);
    expect(s.entries[1]!.verdict.outcome).toBe('allowed');
  });

  test('the bounded log: when the worker drops entries, the oldest go here too', () => {
    const s = run(snapshot([allowed('1'), allowed('2'), allowed('3')], 0), upsert(allowed('4'), 2));
    expect(ids(s.entries)).toEqual(['3', '4']);
    expect(s.dropped).toBe(2);
  });

  test('messages for another tab are ignored', () => {
    const s = run(snapshot([allowed('1')]), { type: 'upsert', tabId: 99, entry: allowed('2'), dropped: 0 });
    expect(ids(s.entries)).toEqual(['1']);
  });

  test('cleared empties the log and remembers why', () => {
    const s = run(snapshot([allowed('1')]), { type: 'cleared', tabId: TAB, reason: 'navigation' });
    expect(s.entries).toEqual([]);
    expect(s.lastCleared).toBe('navigation');
  });

  test('settings update preserve-log', () => {
    const s = run(snapshot([]), { type: 'settings', tabId: TAB, settings: { preserveLog: true } });
    expect(s.settings.preserveLog).toBe(true);
  });

  test('worker restart: disconnected -> reconnecting -> hello again -> fresh snapshot', () => {
    let s = run(snapshot([allowed('1')]), { type: 'disconnected' });
    expect(s.connection).toBe('reconnecting');
    expect(ids(s.entries)).toEqual(['1']); // keeps showing what it had
    s = reduce(s, { type: 'connecting', tabId: TAB });
    expect(s.connection).toBe('reconnecting');
    s = reduce(s, snapshot([allowed('1'), refused('2')]));
    expect(s.connection).toBe('connected');
    expect(ids(s.entries)).toEqual(['1', '2']);
  });

  test("capture's health comes with the snapshot and with each health message, over every tab", () => {
    expect(initialState(TAB).health).toEqual({ unreadableEvents: 0 });
    let s = run({
      ...(snapshot([allowed('1')]) as Extract<WorkerToPanel, { type: 'snapshot' }>),
      health: { unreadableEvents: 2 },
    });
    expect(s.health).toEqual({ unreadableEvents: 2 });
    s = reduce(s, { type: 'health', health: { unreadableEvents: 3 } });
    expect(s.health).toEqual({ unreadableEvents: 3 });
    expect(ids(s.entries)).toEqual(['1']);
  });

  test('version mismatch is sticky and says both versions', () => {
    let s = run({ type: 'version-mismatch', workerProtocol: 2, panelProtocol: 1 });
    expect(s.connection).toBe('version-mismatch');
    expect(s.mismatch).toEqual({ workerProtocol: 2, panelProtocol: 1 });
    s = reduceAll(s, [{ type: 'disconnected' }, { type: 'connecting', tabId: TAB }]);
    expect(s.connection).toBe('version-mismatch');
  });

  test('a snapshot with another protocol number is a mismatch too', () => {
    const s = run({
      ...(snapshot([allowed('1')]) as Extract<WorkerToPanel, { type: 'snapshot' }>),
      protocol: 99,
    });
    expect(s.connection).toBe('version-mismatch');
    expect(s.entries).toEqual([]);
  });

  test('an opened report is shown instead of the live log until closed; live updates continue', () => {
    const report = { name: 'r.json', entries: [refused('9')], generatedAt: null, redacted: true };
    let s = run(snapshot([allowed('1')]), { type: 'report-opened', report }, upsert(allowed('2')));
    expect(s.report?.name).toBe('r.json');
    expect(ids(s.entries)).toEqual(['1', '2']);
    s = reduce(s, { type: 'report-closed' });
    expect(s.report).toBeNull();
  });

  test('is pure: the previous state is never modified', () => {
    const before = run(snapshot([allowed('1')]));
    const frozen = JSON.stringify(before);
    reduceAll(before, [upsert(allowed('2')), { type: 'cleared', tabId: TAB, reason: 'user' }]);
    expect(JSON.stringify(before)).toBe(frozen);
  });
});

/**
 * reflected('3') as the panel shows it once the log also holds the same API answering another origin:
 * its missing Vary: Origin is then a warning (an amber row).
 */
const amber = (id: string) => annotateLog([reflected(id), reflected('x', 'http://127.0.0.1:9999')])[0]!;

describe('filters and counts', () => {
  const all = [blockedPreflight('1'), allowed('2'), amber('3'), refused('4')];

  test('counts', () =>
    expect(countEntries(all)).toEqual({ all: 4, cors: 4, blocked: 1, findings: 1, noCors: 0 }));

  test('no-cors loads: counted apart, left out of the "cors" view, never blocked nor findings', () => {
    const withLoads = [...all, noCorsImage('5'), noCorsImage('6', '/ad.png')];
    expect(countEntries(withLoads)).toEqual({ all: 6, cors: 4, blocked: 1, findings: 1, noCors: 2 });
    expect(ids(filterEntries(withLoads, 'cors', ''))).toEqual(['1', '2', '3', '4']);
    expect(ids(filterEntries(withLoads, 'all', ''))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(ids(filterEntries(withLoads, 'cors', 'png'))).toEqual([]);
    expect(ids(filterEntries(withLoads, 'findings', ''))).toEqual(['3']);
  });

  test.each([
    ['all', '', ['1', '2', '3', '4']],
    ['blocked', '', ['1']],
    ['findings', '', ['3']],
    ['all', 'PUT', ['1']],
    ['all', 'headerdisallowed', ['1']],
    ['all', 'refused', ['4']],
    ['all', '8802 get', ['2', '3']],
    ['blocked', 'reflect', []],
    ['all', 'connection_refused', ['4']],
  ] as const)('%s + "%s"', (kind, text, expected) => {
    expect(ids(filterEntries(all, kind, text))).toEqual(expected);
  });

  test('no filter returns the same array (no copy for 10,000 rows)', () => {
    expect(filterEntries(all, 'all', '  ')).toBe(all);
  });

  const many = [
    ...all,
    allowed('5', '/put/items'),
    blockedPreflight('6', 'http://127.0.0.1:8802/v1/items/99?page=1'),
    refused('7'),
    amber('8'),
    allowed('9', '/Localhost/Get'),
  ];

  test('typing key by key (and deleting, and switching the kind) gives what filtering everything gives', () => {
    const filter = refiningFilter();
    const steps: [FilterKind, string][] = [
      ['all', ''],
      ['all', 'p'],
      ['all', 'pu'],
      ['all', 'put'],
      ['all', 'put '],
      ['all', 'put b'],
      ['all', 'put bl'],
      ['all', 'put'], // backspaces
      ['all', 'pu'],
      ['blocked', 'pu'],
      ['blocked', 'put'],
      ['all', 'put'],
      ['all', 'PUT'],
      ['all', 'PUT x'],
      ['all', ''],
      ['findings', ''],
      ['findings', 'r'],
    ];
    for (const [kind, text] of steps) {
      expect(ids(filter(many, kind, text)), `${kind} "${text}"`).toEqual(
        ids(filterEntries(many, kind, text)),
      );
    }
  });

  test('a keystroke that removes no row gives the same array back', () => {
    const filter = refiningFilter();
    const first = filter(many, 'all', 'put');
    expect(first.length).toBeLessThan(many.length);
    expect(filter(many, 'all', 'put ')).toBe(first);
    const narrower = filter(many, 'all', 'put b');
    expect(narrower.length).toBeLessThan(first.length);
    expect(ids(narrower)).toEqual(ids(filterEntries(many, 'all', 'put b')));
    expect(filter(many, 'all', 'http')).toBe(many);
    expect(filter(many, 'all', 'http:')).toBe(many);
  });

  test('a new list of entries is searched whole, not through the last result', () => {
    const filter = refiningFilter();
    expect(ids(filter(many.slice(0, 3), 'all', 'p'))).toEqual(
      ids(filterEntries(many.slice(0, 3), 'all', 'p')),
    );
    expect(ids(filter(many, 'all', 'pu'))).toEqual(ids(filterEntries(many, 'all', 'pu')));
  });

  test('any sequence of filter texts: same rows, same order as filtering everything', () => {
    const char = fc.constantFrom('p', 'u', 't', ' ', 'l', 'o', 'c', '/', '9', 'i', 'G', 'E', 'x', 'r');
    const step = fc.record({
      kind: fc.constantFrom<FilterKind>('all', 'cors', 'blocked', 'findings'),
      text: fc.array(char, { maxLength: 8 }).map((cs) => cs.join('')),
      typed: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 20 }), (steps) => {
        const filter = refiningFilter();
        let text = '';
        for (const s of steps) {
          // Mostly typing on at the end (the case the refinement serves), sometimes a new text.
          text = s.typed ? text + s.text : s.text;
          expect(ids(filter(many, s.kind, text))).toEqual(ids(filterEntries(many, s.kind, text)));
        }
      }),
    );
  });

  test('search keys are built a slice at a time while there is time, and resume where they stopped', () => {
    const list = Array.from({ length: 600 }, (_, i) => allowed(String(i), `/p/${i}`));
    expect(warmSearchKeys(list, 0, () => false)).toBe(256);
    expect(warmSearchKeys(list, 256, () => false)).toBe(512);
    expect(warmSearchKeys(list, 512, () => false)).toBe(600);
    let calls = 0;
    expect(
      warmSearchKeys(list, 0, () => {
        calls++;
        return true;
      }),
    ).toBe(600);
    expect(calls).toBe(2);
    expect(warmSearchKeys([], 0, () => true)).toBe(0);
    expect(searchKey(list[300]!)).toContain('/p/300');
  });
});

describe('store', () => {
  test('signals follow dispatches; the selection survives updates', () => {
    const store = createStore(TAB);
    store.dispatch(snapshot([blockedPreflight('1'), allowed('2')]));
    store.selectedId.value = '2';
    expect(store.selected.value?.exchange.id).toBe('2');
    store.dispatchAll([upsert(reflected('3')), upsert(allowed('2'))]);
    // One call naming its origin without Vary: information only, no amber row.
    expect(store.counts.value).toEqual({ all: 3, cors: 3, blocked: 1, findings: 0, noCors: 0 });
    store.dispatch(upsert(reflected('4', 'http://127.0.0.1:9999')));
    // The same API answering a second origin: the value depends on Origin, so both rows turn amber.
    expect(store.counts.value).toEqual({ all: 4, cors: 4, blocked: 1, findings: 2, noCors: 0 });
    expect(store.selected.value?.exchange.id).toBe('2');
    store.filter.value = 'blocked';
    expect(ids(store.visible.value)).toEqual(['1']);
  });

  test('the default view hides the no-cors loads; the one switch shows them', () => {
    const store = createStore(TAB);
    store.dispatch(snapshot([noCorsImage('0'), blockedPreflight('1'), noCorsImage('2'), allowed('3')]));
    expect(ids(store.visible.value)).toEqual(['1', '3']);
    expect(store.counts.value.noCors).toBe(2);
    store.showNoCors.value = true;
    expect(ids(store.visible.value)).toEqual(['0', '1', '2', '3']);
  });
});
