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
 * verdict as the eager code built it), then turns every getter into a plain data property: from then
 * on the object is an ordinary one. Assigning a lazy field before that replaces it the same way.
 */
import type { FirefoxReasonLink, Verdict } from './types';

/** The fields built on first read, in their key order. */
const LAZY = [
  'title',
  'explanation',
  'consoleMessage',
  'fix',
  'findings',
  'firefoxReason',
  'otherBrowser',
] as const satisfies readonly (keyof Verdict)[];

type LazyKey = (typeof LAZY)[number];

/** Optional fields that the eager verdict left out when they had no value. */
const OMITTED_WHEN_EMPTY: ReadonlySet<LazyKey> = new Set(['firefoxReason', 'otherBrowser']);

function setOwn(target: Verdict, key: LazyKey, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Replace every remaining getter with the value `work` holds (or drop an empty optional field). */
function materialize(target: Verdict, work: Verdict): void {
  for (const key of LAZY) {
    const d = Object.getOwnPropertyDescriptor(target, key);
    if (!d?.get) continue;
    if (work[key] === undefined && OMITTED_WHEN_EMPTY.has(key)) delete target[key];
    else setOwn(target, key, work[key]);
  }
}

/** The words of one verdict: built once, on the first read of any of them. */
class Words {
  private built = false;

  constructor(
    private readonly work: Verdict,
    private readonly complete: () => void,
  ) {}

  /** `work`, complete; `target`'s getters replaced by its values. Never throws. */
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
 * The public verdict over `work`: its check fields copied, its words read from `work` once
 * `complete()` has filled them in. `firefoxReason` is known already (a table look-up): it is served
 * without building the rest. `complete` must not throw; it is guarded all the same, so that reading a
 * verdict never throws (the error goes into the explanation).
 */
export function lazyVerdict(
  work: Verdict,
  complete: () => void,
  firefoxReason: FirefoxReasonLink | undefined,
): Verdict {
  const words = new Words(work, complete);
  const v: Verdict = {
    outcome: work.outcome,
    kind: work.kind,
    chromeError: work.chromeError,
    failedParameter: work.failedParameter,
    netError: work.netError,
    step: work.step,
    legIndex: work.legIndex,
    get title() {
      return words.of(v).title;
    },
    set title(x) {
      setOwn(v, 'title', x);
    },
    get explanation() {
      return words.of(v).explanation;
    },
    set explanation(x) {
      setOwn(v, 'explanation', x);
    },
    get consoleMessage() {
      return words.of(v).consoleMessage;
    },
    set consoleMessage(x) {
      setOwn(v, 'consoleMessage', x);
    },
    facts: work.facts,
    get fix() {
      return words.of(v).fix;
    },
    set fix(x) {
      setOwn(v, 'fix', x);
    },
    confidence: work.confidence,
    credentials: work.credentials,
    requestOrigin: work.requestOrigin,
    get findings() {
      return words.of(v).findings;
    },
    set findings(x) {
      setOwn(v, 'findings', x);
    },
    browser: work.browser,
    get firefoxReason() {
      return firefoxReason;
    },
    set firefoxReason(x) {
      setOwn(v, 'firefoxReason', x);
    },
    get otherBrowser() {
      return words.of(v).otherBrowser;
    },
    set otherBrowser(x) {
      setOwn(v, 'otherBrowser', x);
    },
  };
  return v;
}
