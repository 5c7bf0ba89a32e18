/** Help texts: `cors-lens --help` and `cors-lens <command> --help`. */
import { STACKS } from '../engine';
import type { Colors } from './term';

/** The --stack names, wrapped for the help's option column. */
const STACK_LIST = STACKS.map((s) => s.id)
  .join(', ')
  .replace(/(.{1,60})(, |$)/g, '$1,\n                            ')
  .replace(/,\n\s*$/, '');

/** The Usage block: part of --help, and what a run without a command prints on stderr. */
export const USAGE = (c: Colors): string => `${c.bold('Usage')}
  cors-lens check <url> --origin <origin> [--method <M>] [--header 'Name: value']... [--credentials]
                  [--browser chrome|firefox] [--stack <name>] [--json | --markdown] [--insecure]
                  [--timeout <ms>]
  cors-lens probe <url> --origin <origin> [--credentials] [--json] [--insecure] [--timeout <ms>]
                  [--total-timeout <ms>]
  cors-lens har <file.har | trace.zip> [--stack <name>] [--json | --markdown] [--recheck]
  cors-lens ci [cors-lens.json] [--browser chrome|firefox] [--json] [--insecure]
  cors-lens mcp
  cors-lens --help | --version
`;

export const HELP = (
  c: Colors,
): string => `${c.bold('cors-lens')}: CORS verdicts on the command line, with Chrome's rules and the CORS Lens panel's explanations.

${USAGE(c)}
${c.bold('Commands')}
  check   Send what the browser would send for one call (the preflight, then the request, following
          redirects like the browser) and say whether Chrome lets the page read the answer, why, and the fix.
  probe   Test the server's origin policy with a bounded, listed set of forged Origin values, graded by harm.
  har     Explain every cross-origin call in a HAR file (DevTools, Firefox, Playwright, chrome-har, proxies) or a Playwright trace.
  ci      Run a list of checks with expectations; fail on any difference (GitHub Actions annotations).
  mcp     Serve the tools check, explain, probe and har to a coding agent (Model Context Protocol, stdio).

${c.bold('Options')}
  -h, --help       Help (also: cors-lens <command> --help)
  -V, --version    Print the version

${c.bold('Exit codes')}
  0  allowed / as expected    1  blocked / a difference / a serious finding
  2  usage error (also: no command), network failure, or an inconclusive probe

Colour is used on a terminal only; NO_COLOR turns it off.
`;

const TEXT: Record<string, (c: Colors) => string> = {
  check: (c) => `${c.bold('cors-lens check')} <url> --origin <origin> [options]

Sends what Chrome sends for fetch(url, { method, headers, credentials }) made by a page on <origin>:
the preflight when Chrome would send one (Origin, Access-Control-Request-Method and
Access-Control-Request-Headers: lower-cased, sorted, comma-joined), then the request if the preflight
passes, following redirects like the browser (POST becomes GET on 301/302, anything but HEAD on 303;
Origin becomes null after a cross-origin redirect; a Location with user:password fails; at most 20;
a redirected preflight is never followed). Then prints Chrome's verdict, the explanation and the fix.

${c.bold('Options')}
  -o, --origin <origin>     The page's origin, e.g. https://app.example.com (or null)   [required]
  -X, --method <M>          Request method (default GET). Like fetch(), only DELETE, GET, HEAD,
                            OPTIONS, POST and PUT are upper-cased: "patch" stays "patch".
  -H, --header 'N: v'       A header the page's script sets (repeatable). Forbidden names (Origin,
                            Host, Sec-…) are dropped as the browser drops them; Cookie is sent only
                            with --credentials (the command line has no cookie jar).
      --credentials         credentials: "include" (cookies, HTTP authentication)
      --browser <name>      whose rules judge the call: chrome (default) or firefox.
      --stack <name>        your server stack, for the fix's code (default: the stack the responses
                            point at; with no evidence, only the header lines). One of:
                            ${STACK_LIST}
      --json                The report as JSON (docs/report-format.md, one call)
      --markdown            The report as Markdown for a ticket
      --no-redact           Keep secrets (cookies, tokens) in --json / --markdown output
  -k, --insecure            Accept self-signed or otherwise invalid TLS certificates
      --timeout <ms>        Per request (default 10000)

${c.bold('Exit codes')}  0 allowed (or not a CORS call)  1 blocked  2 usage error or network failure

${c.bold('Example')}
  cors-lens check https://api.example.com/items --origin https://app.example.com -X PUT \\
    -H 'Content-Type: application/json' --credentials
`,
  probe: (c) => `${c.bold('cors-lens probe')} <url> --origin <origin> [options]

Sends one GET per Origin below, one after another, only to <url> (no redirect is followed), and
reports which origins the server would let read the response:
  your origin (baseline), an unrelated origin, null, your host as the prefix of another host
  (host.attacker.example), as the suffix of another host (attackerhost), your site as a suffix,
  an unescaped-dot look-alike, a sub-domain, and the http twin of an https origin.
The list for your origin is printed before anything is sent (at most 10 requests).

Graded by what an attacker gains: a forged origin granted with Access-Control-Allow-Credentials: true
is critical (high for a sub-domain or the http twin); an origin allowed without credentials is low;
Access-Control-Allow-Origin: * without credentials is fine for public data (info).

${c.bold('Options')}
  -o, --origin <origin>     Your page's origin                                         [required]
      --credentials         Your calls use credentials: also say whether your own origin gets them
      --json                Results as JSON
  -k, --insecure            Accept invalid TLS certificates
      --timeout <ms>        Per request (default 10000)
      --total-timeout <ms>  For the whole run (default 60000): origins not sent by then are not tested

A forged origin whose request failed (a network error, the timeout, 429 or 5xx) was not tested. The
all-clear "No forged origin may read…" is printed only when every forged origin got an answer;
otherwise the run is inconclusive, names the origins not tested and why, and exits 2.

${c.bold('Exit codes')}  0 every forged origin answered, no critical or high finding  1 a critical or high finding
            2 usage error, network failure, or inconclusive (a forged origin not tested)
`,
  har: (
    c,
  ) => `${c.bold('cors-lens har')} <file.har | trace.zip> [--stack <name>] [--json | --markdown] [--recheck]

Explains every cross-origin call in a HAR file with Chrome's rules, whoever wrote it: Chrome DevTools'
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

${c.bold('Options')}
      --stack <name>        your server stack, for the fix's code (default: the stack the responses
                            point at; with no evidence, only the header lines). One of:
                            ${STACK_LIST}
      --json                The report as JSON (docs/report-format.md)
      --markdown            The report as Markdown
      --no-redact           Keep secrets in the report
      --recheck             Ask the servers now, one call after another, for the calls whose answer the
                            file does not hold; each verdict is marked as re-checked, not seen in the file
      --recheck-max <n>     At most n checks (default 20)
      --timeout <ms>        Per re-check request (default 10000)
  -k, --insecure            Accept invalid TLS certificates when re-checking

${c.bold('Exit codes')}  0 nothing blocked  1 at least one call blocked  2 unreadable file or usage error
`,
  ci: (c) => `${c.bold('cors-lens ci')} [cors-lens.json] [--browser chrome|firefox] [--json] [--insecure]

Runs a list of checks (default file: cors-lens.json) and fails on any difference from the expectation.

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
--browser firefox judges every check by Firefox's rules (default chrome).

In GitHub Actions (GITHUB_ACTIONS=true) each check that differs becomes an ::error annotation and each
passing check with a risky finding a ::warning, titled with the endpoint (not with --json). With
GITHUB_STEP_SUMMARY set, a Markdown table of all checks is appended to that file.

${c.bold('Exit codes')}  0 all as expected  1 a difference  2 unreadable config or usage error
`,
  mcp: (c) => `${c.bold('cors-lens mcp')}

A Model Context Protocol server on stdin/stdout, for coding agents: the same verdicts and fixes as the
other commands, as four tools:
  cors_check        what "cors-lens check" does (sends the preflight and the request)
  cors_explain      judges a request/response (and preflight) the agent already has; sends nothing
  cors_probe        what "cors-lens probe" does (at most ten GETs to the one URL)
  cors_explain_har  what "cors-lens har" does
Each answers with text for the model and structuredContent in the report format (docs/report-format.md).

An MCP client starts it as:  { "command": "npx", "args": ["-y", "cors-lens", "mcp"] }
`,
};

export function commandHelp(command: string, c: Colors): string {
  return (TEXT[command] ?? HELP)(c);
}
