// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { Detail } from '../../../src/panel/components/Detail';
import { createStore } from '../../../src/panel/store';
import { loadStack, saveStack } from '../../../src/panel/env';
import { STACKS } from '../../../src/engine/fix';
import { allowed, blockedPreflight, reflected } from '../../report/sample';

// The extension API is not the thing under test here: an in-memory storage.local stands in for it.
const local = new Map<string, unknown>();
vi.mock('../../../src/platform/browser', () => ({
  default: {
    storage: {
      local: {
        get: async (k: string) => (local.has(k) ? { [k]: local.get(k) } : {}),
        set: async (o: Record<string, unknown>) => Object.entries(o).forEach(([k, v]) => local.set(k, v)),
      },
    },
  },
}));

afterEach(cleanup);

describe('Detail', () => {
  test('verdict, Chrome error, linked steps, decisive header, fix with every stack, redacted curl', async () => {
    const store = createStore(7, { load: loadStack, save: saveStack });
    const { container } = render(
      <Detail entry={blockedPreflight()} store={store} onClose={() => undefined} />,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toContain(
      'Request header authorization not allowed',
    );
    expect(container.querySelector('.chrome-error')?.textContent).toBe('HeaderDisallowedByPreflightResponse');
    const steps = screen.getByRole('list', { name: 'Requests in order' }).querySelectorAll('li');
    expect(steps).toHaveLength(2);
    expect(steps[0]?.textContent).toContain('Preflight');
    expect(steps[1]?.textContent).toContain('never sent');
    const decisive = container.querySelector('table.headers tr.decisive');
    expect(decisive?.textContent).toContain('Access-Control-Allow-Headers');
    const select = screen.getByRole<HTMLSelectElement>('combobox', { name: /Server stack/ });
    expect(select.options).toHaveLength(STACKS.length);
    expect(select.value).toBe('nginx'); // the verdict's most likely stack first
    fireEvent.change(select, { target: { value: 'flask' } });
    expect(store.stacks.value).toEqual({ 'http://127.0.0.1:8802': 'flask' });
    await vi.waitFor(() =>
      expect(local.get('stackByApiOrigin')).toEqual({ 'http://127.0.0.1:8802': 'flask' }),
    );
    const curl = container.querySelector('.curl-preflight')?.textContent ?? '';
    expect(curl).toContain("-H 'Access-Control-Request-Headers: authorization,content-type'");
    expect(curl).toContain('token=[REDACTED]');
  });

  test('findings and the inferred confidence of an allowed call; redaction off shows secrets', () => {
    const store = createStore(7);
    store.redact.value = false;
    const { container } = render(<Detail entry={reflected()} store={store} onClose={() => undefined} />);
    expect(screen.getByRole('heading', { name: 'Findings' })).toBeTruthy();
    expect(container.querySelector('.findings')?.textContent).toContain(
      'without Vary: Origin (fine if the value is fixed)',
    );
    expect(container.querySelector('.curl-actual')?.textContent).toContain('Bearer eyJhbGciOi');
    cleanup();
    // `*` without a Cookie: the engine infers the call was sent without credentials.
    const other = render(<Detail entry={allowed()} store={store} onClose={() => undefined} />);
    expect(other.container.querySelector('.confidence')?.textContent).toContain('Inferred');
  });
});
