// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { Footer } from '../../../src/panel/App';
import { createStore } from '../../../src/panel/store';
import { PROTOCOL_VERSION, type WorkerToPanel } from '../../../src/shared/protocol';

// App's components read stored preferences; not the thing under test here.
vi.mock('../../../src/platform/browser', () => ({ default: { storage: { local: {} } } }));

afterEach(cleanup);

const snapshot = (unreadableEvents: number): WorkerToPanel => ({
  type: 'snapshot',
  protocol: PROTOCOL_VERSION,
  tabId: 7,
  entries: [],
  dropped: 0,
  settings: { preserveLog: false },
  health: { unreadableEvents },
});

describe('Footer', () => {
  test('says how many events capture could not read, and nothing when none', () => {
    const store = createStore(7);
    store.dispatch(snapshot(0));
    const { container, rerender } = render(<Footer store={store} />);
    expect(container.textContent).toBe('');
    store.dispatch(snapshot(2));
    rerender(<Footer store={store} />);
    expect(container.querySelector('footer[role="status"]')?.textContent).toBe(
      '2 events could not be read: some calls may be missing or incomplete.',
    );
    store.dispatch({ type: 'health', health: { unreadableEvents: 1 } });
    rerender(<Footer store={store} />);
    expect(container.textContent).toMatch(/^1 event could not be read:/);
  });

  test('is not shown over an opened report', () => {
    const store = createStore(7);
    store.dispatch(snapshot(2));
    store.dispatch({
      type: 'report-opened',
      report: { name: 'r.json', entries: [], generatedAt: null, redacted: true },
    });
    const { container } = render(<Footer store={store} />);
    expect(container.textContent).toBe('');
  });
});
