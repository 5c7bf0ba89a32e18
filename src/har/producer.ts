/**
 * Which tool wrote a HAR, known by its shape (docs/har-producers.md): what a blocked call looks like in
 * it, and whether an entry with a response means the browser let the page read it. Pure.
 */

export type HarProducerId = 'chrome-devtools' | 'firefox' | 'playwright' | 'chrome-har' | 'proxy' | 'other';

export interface HarProducer {
  id: HarProducerId;
  /** For people: "Chrome DevTools", "Playwright 1.65 (recordHar)"… */
  label: string;
  /**
   * Whether a call with a response and no recorded error was allowed by the browser. True for tools
   * that watch the browser (a CORS-blocked call is written as failed); false for a proxy, which sees
   * the server's answer but not the browser's verdict, and for Firefox, whose export does not say.
   */
  completionKnown: boolean;
  /**
   * Whether a response the browser then blocked is in the file with its status and headers (Chrome
   * DevTools' export). Then a request entry with no response was never sent: its preflight stopped it.
   */
  keepsBlockedAnswers: boolean;
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const LABELS: Record<HarProducerId, string> = {
  'chrome-devtools': 'Chrome DevTools',
  firefox: 'Firefox DevTools',
  playwright: 'Playwright',
  'chrome-har': 'chrome-har',
  proxy: 'a proxy or another tool without browser fields',
  other: 'an unknown tool',
};

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A name from the file, safe to print: no control or bidi characters, at most 60 characters. */
function printable(s: string): string {
  const t = s.replace(UNPRINTABLE, '').trim();
  return t.length > 60 ? `${t.slice(0, 60)}…` : t;
}

const PROXIES = /charles|mitmproxy|proxyman|fiddler|burp|http ?toolkit|zap|httptoolkit/i;

/** Fields only browser-side producers write on an entry. */
function browserFields(e: unknown): boolean {
  if (!isObj(e)) return false;
  if ('_resourceType' in e || '_initiator' in e || '_frameref' in e || '_fromCache' in e) return true;
  const res = e.response;
  return isObj(res) && ('_error' in res || '_failureText' in res);
}

/** The producer from `log.creator` and, when it names no known tool, the entries' fields. */
export function producerOf(creator: unknown, entries: readonly unknown[]): HarProducer {
  const c = isObj(creator) ? creator : {};
  const name = typeof c.name === 'string' ? printable(c.name) : '';
  const version = typeof c.version === 'string' && c.version ? ` ${printable(c.version)}` : '';
  const make = (id: HarProducerId, label = LABELS[id]): HarProducer => ({
    id,
    label,
    completionKnown: id === 'chrome-devtools' || id === 'playwright' || id === 'chrome-har',
    keepsBlockedAnswers: id === 'chrome-devtools',
  });
  const n = name.toLowerCase();
  if (n.includes('firefox')) return make('firefox', `Firefox DevTools${version}`);
  if (n === 'playwright') return make('playwright', `Playwright${version} (recordHar)`);
  if (n === 'playwright trace') return make('playwright', `Playwright${version} (trace.network of a trace)`);
  if (n === 'chrome-har') return make('chrome-har', `chrome-har${version}`);
  if (n === 'webinspector')
    return make('chrome-devtools', `Chrome DevTools${version ? ` (WebInspector${version})` : ''}`);
  if (PROXIES.test(n)) return make('proxy', `${name}${version} (a proxy)`);
  // Unnamed or unknown: look at a bounded sample of entries for the browser's own fields.
  const sample = entries.length > 200 ? entries.slice(0, 200) : entries;
  if (sample.some(browserFields))
    return make(
      'chrome-devtools',
      name ? `${name}${version} (Chrome DevTools' shape)` : "Chrome DevTools' shape",
    );
  return make(
    name ? 'proxy' : 'other',
    name ? `${name}${version} (no browser fields: a proxy's shape)` : LABELS.other,
  );
}
