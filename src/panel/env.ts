/**
 * Where the panel runs: inside DevTools (chrome.devtools.inspectedWindow.tabId), or as a normal page /
 * pop-out window (`panel.html?tabId=N`). Also the theme, and the per-API-origin stack preference.
 */
import browser from '../platform/browser';

interface DevtoolsLike {
  inspectedWindow?: { tabId?: number };
  panels?: {
    themeName?: string;
    /** Chrome 99+. */
    setThemeChangeHandler?: (cb: (themeName: string) => void) => void;
    /** Firefox. */
    onThemeChanged?: { addListener(cb: (themeName: string) => void): void };
  };
}

function devtools(): DevtoolsLike | undefined {
  try {
    // Typed as what the panel reads: Chrome's extras are optional, and outside DevTools it is absent.
    const api: { devtools?: DevtoolsLike } = browser;
    return api.devtools;
  } catch {
    return undefined;
  }
}

export function inDevtools(): boolean {
  return typeof devtools()?.inspectedWindow?.tabId === 'number';
}

/** The inspected tab: DevTools first, else `?tabId=N`; null when neither is there. */
export function inspectedTabId(search = location.search): number | null {
  const fromDevtools = devtools()?.inspectedWindow?.tabId;
  if (typeof fromDevtools === 'number') return fromDevtools;
  const q = new URLSearchParams(search).get('tabId');
  if (q === null || !/^-?\d+$/.test(q.trim())) return null;
  return Number(q);
}

export type Theme = 'light' | 'dark';

function themeOf(name: string | undefined): Theme | undefined {
  if (name === 'dark') return 'dark';
  if (name === 'default' || name === 'light') return 'light';
  return undefined;
}

/**
 * DevTools' theme when in DevTools, else the system's; `onChange` follows changes of either (DevTools
 * settings → Appearance, or the system setting).
 */
export function watchTheme(onChange: (theme: Theme) => void): Theme {
  const panels = devtools()?.panels;
  const current = themeOf(panels?.themeName);
  if (current) {
    const follow = (name: string) => {
      const t = themeOf(name);
      if (t) onChange(t);
    };
    try {
      if (panels?.setThemeChangeHandler) panels.setThemeChangeHandler(follow);
      else panels?.onThemeChanged?.addListener(follow);
    } catch {
      // an older DevTools without change notifications: keep the theme it started with
    }
    return current;
  }
  const mq = matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', (e) => onChange(e.matches ? 'dark' : 'light'));
  return mq.matches ? 'dark' : 'light';
}

const STACK_KEY = 'stackByApiOrigin';

/** The stack the user picked for an API origin, if any (chrome.storage.local). */
export async function loadStack(apiOrigin: string): Promise<string | null> {
  try {
    const got = await browser.storage.local.get(STACK_KEY);
    const map = got[STACK_KEY];
    if (map && typeof map === 'object') {
      const v = (map as Record<string, unknown>)[apiOrigin];
      return typeof v === 'string' ? v : null;
    }
  } catch {
    // storage unavailable (not an extension page): no preference
  }
  return null;
}

export async function saveStack(apiOrigin: string, stack: string): Promise<void> {
  try {
    const got = await browser.storage.local.get(STACK_KEY);
    const map = { ...((got[STACK_KEY] as Record<string, string> | undefined) ?? {}), [apiOrigin]: stack };
    await browser.storage.local.set({ [STACK_KEY]: map });
  } catch {
    // non-fatal: the pick just is not remembered
  }
}

/** Saves text as a file download. */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Copies text. DevTools panels often refuse the async Clipboard API (no focus / permissions policy),
 * so fall back to a selected textarea and execCommand.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    let ok = false;
    try {
      ok = document.execCommand('copy');
    } catch {
      ok = false;
    }
    ta.remove();
    return ok;
  }
}
