/**
 * A verdict whose words are built when first read. The checks decide `outcome`, `kind`, the Chrome
 * error, the step, the facts and the credentials reading; those are plain values. The title,
 * explanation, console message, fix (with its complete-fix rounds and recipes), findings and the
 * other browser's note cost several times more than the checks, and most verdicts are only counted or
 * listed. They are own enumerable getters at the same place in the key order as the eager verdict
 * had them, so `JSON.stringify`, structured clone (chrome.storage, ports), spreads and deep equality
 * all read them and see the same object, key for key.
 *
 * The first read of any lazy field builds all of them at once (`complete`, which fills in `work`, the
 * verdict as the eager code built it); from then on the getters serve its values, and an
 * `otherBrowser` the eager verdict would not have had is removed. Assigning a lazy field replaces its
 * getter with a plain data property.
 */
import type { Verdict } from './types';

/** The fields built on first read. */
type LazyKey = 'title' | 'explanation' | 'consoleMessage' | 'fix' | 'findings' | 'otherBrowser';

/** Optional fields that the eager verdict left out when they had no value. */
const OMITTED_WHEN_EMPTY: ReadonlySet<LazyKey> = new Set(['otherBrowser']);

/** Where a lazy verdict keeps its state: a symbol, not enumerable (never serialized or spread). */
const WORDS = Symbol('verdict words');

interface LazyVerdict extends Verdict {
  [WORDS]: Words;
}

function setOwn(target: Verdict, key: LazyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Drop the getter of an optional field that came out empty, as the eager verdict left it out. */
function materialize(target: Verdict, work: Verdict): void {
  for (const key of OMITTED_WHEN_EMPTY) {
    if (work[key] !== undefined) continue;
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (d?.get) delete target[key];
  }
}

/** The words of one verdict: built once, on the first read of any of them. */
class Words {
  private built = false;

  constructor(
    readonly work: Verdict,
    private readonly complete: () => void,
  ) {}

  /** `work`, complete (empty optional fields dropped from `target`). Never throws. */
  of(target: Verdict): Verdict {
    const work = this.work;
    if (this.built) return work;
    this.built = true;
    try {
      this.complete();
    } catch (err) {
      work.title = 'CORS Lens could not explain this verdict';
      work.explanation = [
        'The verdict stands, but its explanation could not be built. This is a bug in CORS Lens, not in your server.',
        String(err instanceof Error ? err.message : err),
      ];
    }
    materialize(target, work);
    return work;
  }
}

/**
 * One accessor per key, shared by every lazy verdict (V8 gives objects whose accessors are the same
 * functions one hidden class; per-object closures would give each verdict its own).
 */
function accessorFor(key: LazyKey): PropertyDescriptor {
  return {
    get(this: LazyVerdict) {
      return this[WORDS].of(this)[key];
    },
    set(this: Verdict, x: unknown) {
      setOwn(this, key, x);
    },
    enumerable: true,
    configurable: true,
  };
}

const TITLE = accessorFor('title');
const EXPLANATION = accessorFor('explanation');
const CONSOLE_MESSAGE = accessorFor('consoleMessage');
const FIX = accessorFor('fix');
const FINDINGS = accessorFor('findings');
const OTHER_BROWSER = accessorFor('otherBrowser');

/**
 * The public verdict over `work`: its check fields copied in the eager key order, its words read from
 * `work` once `complete()` has filled them in. `complete` must not throw; it is guarded all the same,
 * so that reading a verdict never throws (the error goes into the explanation).
 */
export function lazyVerdict(work: Verdict, complete: () => void): Verdict {
  const v = {
    outcome: work.outcome,
    kind: work.kind,
    chromeError: work.chromeError,
    failedParameter: work.failedParameter,
    netError: work.netError,
    step: work.step,
    legIndex: work.legIndex,
  } as LazyVerdict;
  Object.defineProperty(v, WORDS, { value: new Words(work, complete) });
  const define = Object.defineProperty;
  define(v, 'title', TITLE);
  define(v, 'explanation', EXPLANATION);
  define(v, 'consoleMessage', CONSOLE_MESSAGE);
  v.facts = work.facts;
  define(v, 'fix', FIX);
  v.confidence = work.confidence;
  v.credentials = work.credentials;
  v.requestOrigin = work.requestOrigin;
  define(v, 'findings', FINDINGS);
  v.browser = work.browser;
  if (work.firefoxReason) v.firefoxReason = work.firefoxReason;
  define(v, 'otherBrowser', OTHER_BROWSER);
  return v;
}
