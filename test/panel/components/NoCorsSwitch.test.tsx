// @vitest-environment happy-dom
/**
 * The one switch for the no-cors loads: counted, shown only when there are some in the default view, and
 * one click shows them (and the first filter then counts all calls).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { NoCorsSwitch } from '../../../src/panel/App';
import { createStore } from '../../../src/panel/store';
import { PROTOCOL_VERSION, type LogEntry } from '../../../src/shared/protocol';
import { blockedPreflight, noCorsImage } from '../../report/sample';

vi.mock('../../../src/platform/browser', () => ({ default: { storage: { local: {} } } }));

afterEach(cleanup);

const storeWith = (entries: LogEntry[]) => {
  const store = createStore(7);
  store.dispatch({
    type: 'snapshot',
    protocol: PROTOCOL_VERSION,
    tabId: 7,
    entries,
    dropped: 0,
    settings: { preserveLog: false },
    health: { unreadableEvents: 0 },
  });
  return store;
};

describe('NoCorsSwitch', () => {
  test('counts the hidden loads; a click shows them, another hides them', () => {
    const store = storeWith([noCorsImage('1'), blockedPreflight('2'), noCorsImage('3', '/b.png')]);
    const { rerender } = render(<NoCorsSwitch store={store} />);
    expect(store.visible.value.map((e) => e.exchange.id)).toEqual(['2']);
    fireEvent.click(screen.getByRole('button', { name: '2 no-cors loads hidden · show' }));
    expect(store.visible.value.map((e) => e.exchange.id)).toEqual(['1', '2', '3']);
    rerender(<NoCorsSwitch store={store} />);
    const hide = screen.getByRole('button', { name: 'Hide the 2 no-cors loads' });
    expect(hide.getAttribute('aria-pressed')).toBe('true');
  });

  test('absent without no-cors loads, and under the Blocked filter', () => {
    const none = render(<NoCorsSwitch store={storeWith([blockedPreflight('2')])} />);
    expect(none.container.textContent).toBe('');
    cleanup();
    const store = storeWith([noCorsImage('1'), blockedPreflight('2')]);
    store.filter.value = 'blocked';
    expect(render(<NoCorsSwitch store={store} />).container.textContent).toBe('');
  });
});
