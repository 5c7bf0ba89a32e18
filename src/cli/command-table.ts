/**
 * The command table: every command's name, summary, usage, options (type, short flag, default, help
 * line), positional arguments and help text. The parser's node:util parseArgs configuration
 * (`parseConfig`) and every help text (src/cli/help.ts) are generated from it; the handlers live in
 * src/cli/commands.ts, one per row, and receive the parsed values typed by the row's options.
 */
import type { ParseArgsConfig } from 'node:util';
import { STACKS } from '../engine';
import { PROBE_TOTAL_TIMEOUT_MS } from './probe';
import { BROWSER_NAMES, DEFAULT_BROWSER, labelOf, orList } from './browser';
import type { Colors } from './term';

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  /** Repeatable: the value is a list. */
  readonly multiple?: boolean;
  /** The value's name in the help, e.g. `<ms>`. */
  readonly value?: string;
  /** The value a handler uses when the option is absent; `{default}` in `help` shows it. */
  readonly default?: string;
  /** The help's description; each `\n` continues in the description column. */
  readonly help: string;
}

export type OptionsSpec = Readonly<Record<string, OptionSpec>>;

/** How many positional arguments a command takes, and the usage error for too few or too many. */
export type PositionalSpec =
  | { readonly count: 'one'; readonly missing: string; readonly extra: string }
  | { readonly count: 'optional' | 'none'; readonly extra: string };

export interface CommandSpec {
  /** The Commands list of `cors-lens --help`; each `\n` continues in the summary column. */
  readonly summary: string;
  /** The command's line(s) in the Usage block, after `cors-lens <name>`; each `\n` continues. */
  readonly usage: string;
  /** The first line of `cors-lens <name> --help` after the name (default: `usage`). */
  readonly synopsis?: string;
  readonly options: OptionsSpec;
  readonly positionals: PositionalSpec;
  /** The help's text before the option list. */
  readonly intro: (c: Colors) => string;
  /** The help's text after the option list (exit codes, examples). */
  readonly outro?: (c: Colors) => string;
  /** List the options in the help (false: the intro describes them). */
  readonly listOptions?: boolean;
}

/** The --stack names, wrapped for the help's option column. */
const STACK_LIST = STACKS.map((s) => s.id)
  .join(', ')
  .replace(/(.{1,60})(, |$)/g, '$1,\n')
  .replace(/,\n$/, '');

const stack = {
  type: 'string',
  value: '<name>',
  help: `your server stack, for the fix's code (default: the stack the responses
point at; with no evidence, only the header lines). One of:
${STACK_LIST}`,
} as const;
const insecure = { type: 'boolean', short: 'k' } as const;
const timeout = { type: 'string', value: '<ms>', default: '10000' } as const;
const origin = { type: 'string', short: 'o', value: '<origin>' } as const;
const browserChoices = BROWSER_NAMES.map((b) => (b === DEFAULT_BROWSER ? `${b} (default)` : b));
const otherBrowsers = BROWSER_NAMES.filter((b) => b !== DEFAULT_BROWSER);

const check = {
  summary: `Send what the browser would send for one call (the preflight, then the request, following
redirects like the browser) and say whether Chrome (or the browser --browser names) lets the page read
the answer, why, and the fix.`,
  usage: `<url> --origin <origin> [--method <M>] [--header 'Name: value']... [--credentials]
[--browser ${BROWSER_NAMES.join('|')}] [--stack <name>] [--json | --markdown] [--insecure]
[--timeout <ms>]`,
  synopsis: '<url> --origin <origin> [options]',
  options: {
    origin: { ...origin, help: "The page's origin, e.g. https://app.example.com (or null)   [required]" },
    method: {
      type: 'string',
      short: 'X',
      value: '<M>',
      default: 'GET',
      help: `Request method (default {default}). Like fetch(), only DELETE, GET, HEAD,
OPTIONS, POST and PUT are upper-cased: "patch" stays "patch".`,
    },
    header: {
      type: 'string',
      short: 'H',
      multiple: true,
      value: "'N: v'",
      help: `A header the page's script sets (repeatable). Forbidden names (Origin,
Host, Sec-…) are dropped as the browser drops them; Cookie is sent only
with --credentials (the command line has no cookie jar).`,
    },
    credentials: { type: 'boolean', help: 'credentials: "include" (cookies, HTTP authentication)' },
    browser: {
      type: 'string',
      value: '<name>',
      default: DEFAULT_BROWSER,
      help: `whose rules judge the call: ${orList(browserChoices)}.`,
    },
    stack,
    json: { type: 'boolean', help: 'The report as JSON (docs/report-format.md, one call)' },
    markdown: { type: 'boolean', help: 'The report as Markdown for a ticket' },
    'no-redact': { type: 'boolean', help: 'Keep secrets (cookies, tokens) in --json / --markdown output' },
    insecure: { ...insecure, help: 'Accept self-signed or otherwise invalid TLS certificates' },
    timeout: { ...timeout, help: 'Per request (default {default})' },
  },
  positionals: { count: 'one', missing: 'missing the URL to check', extra: 'give one URL' },
  intro:
    () => `Sends what Chrome sends for fetch(url, { method, headers, credentials }) made by a page on <origin>:
the preflight when Chrome would send one (Origin, Access-Control-Request-Method and
Access-Control-Request-Headers: lower-cased, sorted, comma-joined), then the request if the preflight
passes, following redirects like the browser (POST becomes GET on 301/302, anything but HEAD on 303;
Origin becomes null after a cross-origin redirect; a Location with user:password fails; at most 20;
a redirected preflight is never followed). Then prints the verdict (by Chrome's rules, or by those of
the browser --browser names), the explanation and the fix.
`,
  outro: (
    c,
  ) => `${c.bold('Exit codes')}  0 allowed (or not a CORS call)  1 blocked  2 usage error or network failure

${c.bold('Example')}
  cors-lens check https://api.example.com/items --origin https://app.example.com -X PUT \\
    -H 'Content-Type: application/json' --credentials
`,
} as const satisfies CommandSpec;

const probe = {
  summary:
    "Test the server's origin policy with a bounded, listed set of forged Origin values, graded by harm.",
  usage: `<url> --origin <origin> [--credentials] [--json] [--insecure] [--timeout <ms>]
[--total-timeout <ms>]`,
  synopsis: '<url> --origin <origin> [options]',
  options: {
    origin: { ...origin, help: `${"Your page's origin".padEnd(59)}[required]` },
    credentials: {
      type: 'boolean',
      help: 'Your calls use credentials: also say whether your own origin gets them',
    },
    json: { type: 'boolean', help: 'Results as JSON' },
    insecure: { ...insecure, help: 'Accept invalid TLS certificates' },
    timeout: { ...timeout, help: 'Per request (default {default})' },
    'total-timeout': {
      type: 'string',
      value: '<ms>',
      default: String(PROBE_TOTAL_TIMEOUT_MS),
      help: 'For the whole run (default {default}): origins not sent by then are not tested',
    },
  },
  positionals: { count: 'one', missing: 'missing the URL to probe', extra: 'give one URL' },
  intro:
    () => `Sends one GET per Origin below, one after another, only to <url> (no redirect is followed), and
reports which origins the server would let read the response:
  your origin (baseline), an unrelated origin, null, your host as the prefix of another host
  (host.attacker.example), as the suffix of another host (attackerhost), your site as a suffix,
  an unescaped-dot look-alike, a sub-domain, and the http twin of an https origin.
The list for your origin is printed before anything is sent (at most 10 requests).

Graded by what an attacker gains: a forged origin granted with Access-Control-Allow-Credentials: true
is critical (high for a sub-domain or the http twin); an origin allowed without credentials is low;
Access-Control-Allow-Origin: * without credentials is fine for public data (info).
`,
  outro: (
    c,
  ) => `A forged origin whose request failed (a network error, the timeout, 429 or 5xx) was not tested. The
all-clear "No forged origin may read…" is printed only when every forged origin got an answer;
otherwise the run is inconclusive, names the origins not tested and why, and exits 2.

${c.bold('Exit codes')}  0 every forged origin answered, no critical or high finding  1 a critical or high finding
            2 usage error, network failure, or inconclusive (a forged origin not tested)
`,
} as const satisfies CommandSpec;

const har = {
  summary:
    'Explain every cross-origin call in a HAR file (DevTools, Firefox, Playwright, chrome-har, proxies) or a Playwright trace.',
  usage: '<file.har | trace.zip> [--stack <name>] [--json | --markdown] [--recheck]',
  options: {
    stack,
    json: { type: 'boolean', help: 'The report as JSON (docs/report-format.md)' },
    markdown: { type: 'boolean', help: 'The report as Markdown' },
    'no-redact': { type: 'boolean', help: 'Keep secrets in the report' },
    recheck: {
      type: 'boolean',
      help: `Ask the servers now, one call after another, for the calls whose answer the
file does not hold; each verdict is marked as re-checked, not seen in the file`,
    },
    'recheck-max': {
      type: 'string',
      value: '<n>',
      default: '20',
      help: 'At most n checks (default {default})',
    },
    timeout: { ...timeout, help: 'Per re-check request (default {default})' },
    insecure: { ...insecure, help: 'Accept invalid TLS certificates when re-checking' },
  },
  positionals: { count: 'one', missing: 'missing the HAR file', extra: 'give one HAR file' },
  intro:
    () => `Explains every cross-origin call in a HAR file with Chrome's rules, whoever wrote it: Chrome DevTools'
  export, Firefox's, Playwright's recordHar, chrome-har (sitespeed.io, Puppeteer), or a proxy
  (Charles, mitmproxy, Proxyman: no browser fields). A Playwright trace.zip is read from its
  network log (trace.network; record the trace with snapshots on).
  Preflights are paired with their requests by URL, method, Access-Control-Request-Headers, Origin
  and time; redirect hops are chained by redirectURL; the page origin is Origin, else Referer, else
  the page; Sec-Fetch-Mode gives the request mode.
  It says what the file cannot tell: a sanitized export has no cookies (credentials are inferred);
  a call that failed with no answer in the file is "Blocked: the file does not hold the server's
  answer", with the cors-lens check command that asks the server the same question.

The fix is given once per API origin: the header lines and the code that make every blocked call
to that origin pass.
`,
  outro: (c) =>
    `${c.bold('Exit codes')}  0 nothing blocked  1 at least one call blocked  2 unreadable file or usage error
`,
} as const satisfies CommandSpec;

const ci = {
  summary: 'Run a list of checks with expectations; fail on any difference (GitHub Actions annotations).',
  usage: `[cors-lens.json] [--browser ${BROWSER_NAMES.join('|')}] [--json] [--insecure]`,
  // The intro describes the options next to the file format.
  listOptions: false,
  options: {
    json: { type: 'boolean', help: 'Results as JSON' },
    insecure: { ...insecure, help: 'Accept invalid TLS certificates' },
    browser: {
      type: 'string',
      value: '<name>',
      default: DEFAULT_BROWSER,
      help: 'whose rules judge every check',
    },
  },
  positionals: { count: 'optional', extra: 'give at most one config file' },
  intro: (
    c,
  ) => `Runs a list of checks (default file: cors-lens.json) and fails on any difference from the expectation.

  {
    "origin": "https://app.example.com",
    "checks": [
      { "name": "profile", "url": "https://api.example.com/me", "credentials": true, "expect": "allowed" },
      { "url": "https://api.example.com/items", "method": "PUT",
        "headers": { "Content-Type": "application/json" }, "expect": "allowed" },
      { "url": "https://api.example.com/admin", "method": "DELETE",
        "expect": "MethodDisallowedByPreflightResponse", "failedParameter": "DELETE" }
    ]
  }

"expect" is "allowed", "blocked" (any CORS error), Chrome's error name (as in DevTools and CDP, e.g.
"AllowOriginMismatch") or a net::ERR_* name. Each check takes the options of "cors-lens check":
url, origin (or the top-level one), method, headers (an object or a list of "Name: value"), credentials.
Top level: "insecure": true accepts invalid TLS certificates; "timeout" in ms.
--browser ${otherBrowsers.join('|')} judges every check by ${orList(otherBrowsers.map((b) => `${labelOf(b)}'s`))} rules (default ${DEFAULT_BROWSER}).

In GitHub Actions (GITHUB_ACTIONS=true) each check that differs becomes an ::error annotation and each
passing check with a risky finding a ::warning, titled with the endpoint (not with --json). With
GITHUB_STEP_SUMMARY set, a Markdown table of all checks is appended to that file.

${c.bold('Exit codes')}  0 all as expected  1 a difference  2 unreadable config or usage error
`,
} as const satisfies CommandSpec;

const mcp = {
  summary: 'Serve the tools check, explain, probe and har to a coding agent (Model Context Protocol, stdio).',
  usage: '',
  options: {},
  positionals: { count: 'none', extra: 'takes no arguments (it talks MCP on stdin and stdout)' },
  intro:
    () => `A Model Context Protocol server on stdin/stdout, for coding agents: the same verdicts and fixes as the
other commands, as four tools:
  cors_check        what "cors-lens check" does (sends the preflight and the request)
  cors_explain      judges a request/response (and preflight) the agent already has; sends nothing
  cors_probe        what "cors-lens probe" does (at most ten GETs to the one URL)
  cors_explain_har  what "cors-lens har" does
Each answers with text for the model and structuredContent in the report format (docs/report-format.md).

An MCP client starts it as:  { "command": "npx", "args": ["-y", "cors-lens", "mcp"] }
`,
} as const satisfies CommandSpec;

/** The table, in the order of the help's Usage and Commands lists. */
export const COMMAND_TABLE = { check, probe, har, ci, mcp } as const satisfies Record<string, CommandSpec>;

export type CommandName = keyof typeof COMMAND_TABLE;

/** A command's name, if `name` is one (an own key: `toString` is not a command). */
export function commandName(name: string): CommandName | undefined {
  return Object.hasOwn(COMMAND_TABLE, name) ? (name as CommandName) : undefined;
}

/** The values parseArgs gives for a table row's options (plus the `--help` every command has). */
export type OptionValues<O extends OptionsSpec> = {
  -readonly [K in keyof O]?: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { multiple: true }
      ? string[]
      : string;
} & { help?: boolean };

export type ValuesOf<N extends CommandName> = OptionValues<(typeof COMMAND_TABLE)[N]['options']>;

/** The node:util parseArgs options for a row (`--help` is added by `parse`). */
export function parseConfig(options: OptionsSpec): NonNullable<ParseArgsConfig['options']> {
  const config: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries(options))
    config[name] = {
      type: o.type,
      ...(o.short !== undefined && { short: o.short }),
      ...(o.multiple !== undefined && { multiple: o.multiple }),
    };
  return config;
}

/** The usage error for the wrong number of positional arguments, if any. */
export function positionalsError(spec: PositionalSpec, positionals: readonly string[]): string | undefined {
  if (spec.count === 'one')
    return positionals.length === 1 ? undefined : positionals.length ? spec.extra : spec.missing;
  return positionals.length > (spec.count === 'optional' ? 1 : 0) ? spec.extra : undefined;
}
