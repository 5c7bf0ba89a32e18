// @vitest-environment happy-dom
/**
 * The panel's *Open report…* with hostile files (test/fixtures/hostile): the HAR full of terminal
 * escapes, bidi overrides and Markdown, and a JSON report whose verdicts were edited to carry them and
 * a `javascript:` link. Every text node and attribute the panel shows is printable, and every link
 * is http(s).
 */
import { afterEach, describe, expect, test, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { App } from '../../../src/panel/App';
import { createStore } from '../../../src/panel/store';
import { explainHarText } from '../../../src/har';
import { reportJson } from '../../../src/report/json';
import { firstUnsafe } from '../../fixtures/hostile/check';
import { ALL, hostileHar } from '../../fixtures/hostile/corpus';

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

/** Every text node and attribute value under `root` that holds a raw control or bidi character. */
function unsafeIn(root: Element): string[] {
  const bad: string[] = [];
  const walk = (el: Element) => {
    for (const a of Array.from(el.attributes)) {
      const u = firstUnsafe(a.value);
      if (u) bad.push(`<${el.tagName.toLowerCase()} ${a.name}>: ${u}`);
    }
    for (const n of Array.from(el.childNodes)) {
      if (n.nodeType === 3) {
        const u = firstUnsafe(n.textContent ?? '');
        if (u) bad.push(`text in <${el.tagName.toLowerCase()}>: ${u}`);
      } else if (n.nodeType === 1) walk(n as Element);
    }
  };
  walk(root);
  return bad;
}

function links(root: Element): string[] {
  return Array.from(root.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? '');
}

async function open(name: string, text: string) {
  const store = createStore(7);
  const view = render(<App store={store} />);
  const input = screen.getByLabelText<HTMLInputElement>(
    'Open a CORS Lens JSON report, a HAR file or a Playwright trace',
  );
  const file = new File([text], name, { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
  await waitFor(() => expect(store.state.value.report).not.toBeNull(), { timeout: 10_000 });
  return { store, ...view };
}

/** Opens each call's detail in turn and checks the whole panel. */
async function checkEveryCall(store: ReturnType<typeof createStore>, container: Element) {
  const entries = store.state.value.report?.entries ?? [];
  expect(entries.length).toBeGreaterThan(0);
  for (const e of entries) {
    store.selectedId.value = e.exchange.id;
    await waitFor(() => expect(container.querySelector('.detail')).not.toBeNull(), { timeout: 10_000 });
    expect(unsafeIn(document.body), e.exchange.legs[0]?.url).toEqual([]);
    for (const href of links(document.body)) expect(href).toMatch(/^https?:\/\//);
  }
}

describe('Open report… with hostile files', { timeout: 30_000 }, () => {
  test('a hostile HAR: the list and every detail are printable, no link but http(s)', async () => {
    const { store, container } = await open(`evil${ALL.slice(0, 12)}.har`, hostileHar());
    expect(unsafeIn(document.body)).toEqual([]);
    // Escaped, not dropped.
    expect(document.body.textContent).toContain('\\x1b');
    await checkEveryCall(store, container);
  });

  test('a JSON report edited to carry hostile verdicts and a javascript: link', async () => {
    const har = explainHarText(hostileHar());
    if (!har.ok) throw new Error(har.error);
    const entries = har.calls.map(({ exchange, verdict }) => ({
      exchange,
      verdict: {
        ...verdict,
        browser: 'firefox' as const,
        chromeError: verdict.chromeError ?? 'AllowOriginMismatch',
        title: `${verdict.title} ${ALL}`,
        explanation: [...verdict.explanation, ALL],
        firefoxReason: { name: `CORSMissingAllowOrigin${ALL}`, url: 'javascript:alert(document.domain)' },
      },
    }));
    const { store, container } = await open('report.json', reportJson(entries, { redact: false }));
    await checkEveryCall(store, container);
    expect(container.querySelector('.firefox-reason')?.tagName).toBe('CODE');
    expect(links(document.body).some((h) => h.startsWith('javascript:'))).toBe(false);
  });
});
