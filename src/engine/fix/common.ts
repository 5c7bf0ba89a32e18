/**
 * What every recipe needs from a {@link FixPlan}, validated once: the allowlist, the methods and
 * headers to allow, the path scope, and the stack-independent notes. Everything that ends up inside
 * generated code passes a strict character check here, so a recipe can quote it without escaping
 * surprises (an origin, method or header name from the wire never becomes code).
 */
import type { FixPlan } from '../types';

/** Used when the page's origin cannot be allowed (`null`, malformed). Never `null`, never `*`. */
export const PLACEHOLDER_ORIGIN = 'https://app.example.com';

/** A serialized origin: scheme://host[:port], no path, no trailing slash, nothing to escape. */
const ORIGIN_RE = /^[a-z][a-z0-9+.-]*:\/\/(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
/** Method names: HTTP tokens, restricted to what real methods use. */
const METHOD_RE = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Header names: HTTP tokens, restricted to characters no target language treats specially. */
const HEADER_RE = /^[a-z0-9][a-z0-9._~+-]*$/;

export function isAllowableOrigin(origin: string): boolean {
  return origin !== 'null' && ORIGIN_RE.test(origin);
}

/** Methods every API answers anyway; listed so the allowlist reads naturally. */
const BASE_METHODS = ['GET', 'POST'];
const METHOD_ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface RemoveEntry {
  name: string;
  value: string;
  why: string;
}

export interface Ctx {
  plan: FixPlan;
  /** The allowlist: the plan's origin first, then `alsoAllow`. Never `*` or `null`. */
  origins: string[];
  /** True when the page's origin could not be used and {@link PLACEHOLDER_ORIGIN} stands in. */
  placeholder: boolean;
  credentials: boolean;
  /** Credentials unknown and no cookie signs: show the credentials line commented out, marked optional. */
  credentialsOptional: boolean;
  /** Methods to allow: GET, POST and the plan's methods (exact case), in a stable order. */
  methods: string[];
  /** Methods the failing call needs beyond the CORS-safelisted GET/HEAD/POST. */
  extraMethods: string[];
  /** Request headers to allow, display case (`Content-Type`). Empty when none are needed. */
  headers: string[];
  /** The same, lower case. */
  headersLower: string[];
  /** Path prefix to scope the configuration to: `/api/` for `/api/users/1`, `/` otherwise. */
  scope: string;
  /** Headers to delete (validated names). */
  remove: RemoveEntry[];
  /** Items of the plan that were dropped because they are not plain tokens. */
  dropped: string[];
}

export function titleCase(header: string): string {
  return header
    .split('-')
    .map((part) => (part ? part[0]!.toUpperCase() + part.slice(1) : part))
    .join('-');
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export function scopeOf(path: string): string {
  const clean = path.split(/[?#]/)[0] ?? '';
  const segments = clean.split('/').filter(Boolean);
  if (segments.length >= 2 && /^[A-Za-z0-9._~-]+$/.test(segments[0]!)) return `/${segments[0]}/`;
  return '/';
}

export function contextOf(plan: FixPlan): Ctx {
  const dropped: string[] = [];
  const placeholder = !isAllowableOrigin(plan.origin);
  const origins = unique(
    [placeholder ? PLACEHOLDER_ORIGIN : plan.origin, ...(plan.alsoAllow ?? [])].filter((o) => {
      if (isAllowableOrigin(o)) return true;
      if (o !== plan.origin) dropped.push(`origin ${JSON.stringify(o)}`);
      return false;
    }),
  );
  const planMethods = plan.methods.filter((m) => {
    if (METHOD_RE.test(m)) return true;
    dropped.push(`method ${JSON.stringify(m)}`);
    return false;
  });
  const methods = unique([...BASE_METHODS, ...planMethods]).sort((a, b) => {
    const ia = METHOD_ORDER.indexOf(a);
    const ib = METHOD_ORDER.indexOf(b);
    return (ia < 0 ? METHOD_ORDER.length : ia) - (ib < 0 ? METHOD_ORDER.length : ib);
  });
  const headersLower = unique(
    plan.headers
      .map((h) => h.trim().toLowerCase())
      .filter((h) => {
        if (HEADER_RE.test(h)) return true;
        dropped.push(`header ${JSON.stringify(h)}`);
        return false;
      }),
  );
  const remove = (plan.remove ?? []).filter((r) => {
    if (HEADER_RE.test(r.name.toLowerCase())) return true;
    dropped.push(`header ${JSON.stringify(r.name)}`);
    return false;
  });
  return {
    plan,
    origins,
    placeholder,
    credentials: plan.credentials,
    credentialsOptional: !plan.credentials && plan.credentialsOptional === true,
    methods,
    extraMethods: methods.filter((m) => !['GET', 'HEAD', 'POST'].includes(m)),
    headers: headersLower.map(titleCase),
    headersLower,
    scope: scopeOf(plan.path),
    remove,
    dropped,
  };
}

/** The one sentence on when to turn credentials on (a note of every recipe that offers the option). */
export const CREDENTIALS_WHEN =
  'Credentials are an option here (the line marked "optional" in the code, where the stack has one): CORS Lens cannot see whether this call sends cookies, and nothing suggests it does. Turn it on only if the frontend sends cookies or HTTP authentication (fetch credentials: "include", XMLHttpRequest.withCredentials), and keep the exact origin list then.';

/**
 * The credentials line as a marked option, commented out (nothing when credentials are on, or known
 * to be off). `comment` starts a whole-line comment in the stack's language.
 */
export function optionalCredentials(ctx: Ctx, comment: string, indent: string, line: string): string[] {
  if (!ctx.credentialsOptional) return [];
  return [`${indent}${comment} ${line} ${comment} optional: only for cookies or HTTP auth (see the note)`];
}

/** Notes that hold for every stack; each stack adds its own traps after these. */
export function commonNotes(ctx: Ctx): string[] {
  const notes: string[] = [];
  const { plan } = ctx;
  if (plan.note) notes.push(plan.note);
  if (ctx.placeholder) {
    notes.push(
      `This page has no usable origin (${JSON.stringify(plan.origin)}: a sandboxed frame, a file:// or data: page). ` +
        `Never allow "null" (any site can produce it): serve the page over http(s) and put that origin in place of ${PLACEHOLDER_ORIGIN}.`,
    );
  }
  if (plan.avoidRedirect) {
    notes.push(
      `${plan.avoidRedirect.from} redirects to ${plan.avoidRedirect.to}. Browsers do not follow redirects on preflights ` +
        `(and refuse credentialed or cross-origin redirect chains), so call ${plan.avoidRedirect.to} directly and answer there.`,
    );
  }
  for (const r of ctx.remove) {
    notes.push(
      `Remove "${r.name}: ${r.value}": ${r.why} Only one layer (this app, or the proxy in front of it) may set CORS headers.`,
    );
  }
  if (ctx.credentialsOptional) notes.push(CREDENTIALS_WHEN);
  if (ctx.credentials) {
    notes.push(
      'With credentials the origin must be listed exactly: "*" with credentials is refused by browsers, and echoing any Origin would let every site read your users\' data.',
    );
  } else {
    notes.push(
      'Add every origin your frontend is served from (production, staging, local dev) to the list. "*" is fine only for public data that is never fetched with cookies or other credentials.',
    );
  }
  if (ctx.dropped.length > 0) {
    notes.push(`Left out because they are not plain HTTP tokens: ${ctx.dropped.join(', ')}.`);
  }
  return notes;
}

/** A double-quoted string literal valid in JS, TS, Python, Java, C#, Go and JSON (inputs are validated). */
export function dq(value: string): string {
  return JSON.stringify(value);
}

/** A single-quoted JS/TS literal (validated inputs contain no quotes or backslashes). */
export function sq(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
