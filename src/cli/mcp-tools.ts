/**
 * The MCP tools of `cors-lens mcp`: their declarations (JSON Schema inputs, annotations) and their
 * calls. Each call reuses the command it mirrors (runCheck, explainExchange, runProbe, readHarFile)
 * and answers with the same text a person sees (no colour) plus `structuredContent` in the report
 * formats of docs/report-format.md. Bad arguments are a tool error with one sentence, never a throw.
 */
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import {
  type HeaderLine,
  type LogEntry,
  type Parsed,
  parseHeaderArg,
  parseMethod,
  parseOrigin,
  parseRequestUrl,
} from '../engine';
import { buildReport, INDENT_MAX_CALLS, type Report } from '../report/json';
import { RunError } from './args';
import { BROWSER_NAMES, browserProfile, DEFAULT_BROWSER, type BrowserName } from './browser';
import { CLI_DEFAULTS, explainExchange, runCheck, type GivenAnswer } from './check';
import { harEntries, harNotes, harTextParts, readHarFile } from './har-file';
import { PROBE_TOTAL_TIMEOUT_MS, runProbe, worstSeverity } from './probe';
import { probeJson, probeText } from './probe-report';
import { renderCall } from './render';
import { colorsFor } from './term';
import { VERSION } from './version';

const plain = colorsFor({ isTTY: false, write: () => true }, {});
const WIDTH = 100;
const TIMEOUT_MS = 10_000;

// ------------------------------------------------------------------------------------ declarations

const urlProp = { type: 'string', description: 'The URL the page calls (http or https).' };
const originProp = {
  type: 'string',
  description: "The origin of the page that makes the call, e.g. https://app.example.com (or 'null').",
};
const browserProp = {
  type: 'string',
  enum: [...BROWSER_NAMES],
  description: `Whose rules judge the call (default ${DEFAULT_BROWSER}). Firefox's verdicts name Firefox's reason.`,
};
/** Headers as a list of "Name: value" lines, a list of {name, value}, or an object (DevTools' shape). */
const headersProp = (description: string) => ({
  description,
  anyOf: [
    { type: 'array', items: { type: 'string' } },
    {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, value: { type: 'string' } },
        required: ['name', 'value'],
      },
    },
    { type: 'object', additionalProperties: { type: 'string' } },
  ],
});
const answerProp = (description: string) => ({
  type: 'object',
  description,
  properties: {
    status: { type: 'integer', minimum: 100, maximum: 999, description: 'The HTTP status.' },
    headers: headersProp('The response headers, all of them as received.'),
  },
  required: ['status', 'headers'],
});

export const TOOLS: Tool[] = [
  {
    name: 'cors_check',
    title: 'Check a cross-origin call',
    description:
      "Sends what the browser sends for fetch(url, {method, headers, credentials}) from a page on `origin`: the preflight when the browser would send one, then the request, following redirects like the browser. Says whether the browser lets the page read the response, which rule failed under the browser's own error name, and the exact change for the server (with recipes for common stacks). Sends real requests to `url`.",
    inputSchema: {
      type: 'object',
      properties: {
        url: urlProp,
        origin: originProp,
        method: { type: 'string', description: 'Request method (default GET).' },
        headers: {
          type: 'array',
          items: { type: 'string' },
          description: 'Headers the page\'s script sets, each "Name: value".',
        },
        credentials: { type: 'boolean', description: 'credentials: "include" (cookies). Default false.' },
        browser: browserProp,
      },
      required: ['url', 'origin'],
      additionalProperties: false,
    },
    // It sends the method it is given, a DELETE included (when the preflight lets it through).
    annotations: {
      title: 'Check a cross-origin call',
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: true,
    },
  },
  {
    name: 'cors_explain',
    title: 'Explain a call that already happened',
    description:
      "Judges a cross-origin exchange you already have (for example from the browser DevTools or a network log) without sending anything: the request the browser sent, the response, and the preflight's response if there was one. Returns the browser's verdict, the failed rule and the fix for the server. `credentials` defaults to true when the request carried a Cookie header.",
    inputSchema: {
      type: 'object',
      properties: {
        url: urlProp,
        origin: originProp,
        method: { type: 'string', description: 'The request method.' },
        requestHeaders: headersProp('The request headers the browser sent (Origin is added if missing).'),
        response: answerProp("The actual request's response."),
        preflight: answerProp("The OPTIONS preflight's response, when the browser sent one."),
        credentials: { type: 'boolean', description: 'Whether the call used credentials: "include".' },
        browser: browserProp,
      },
      required: ['url', 'origin', 'method', 'requestHeaders', 'response'],
      additionalProperties: false,
    },
    annotations: { title: 'Explain a call that already happened', readOnlyHint: true, openWorldHint: false },
  },
  {
    name: 'cors_probe',
    title: "Probe a server's origin policy",
    description:
      "Tests whether the server's origin check can be fooled: at most ten GET requests, one after another and only to `url` (no redirect followed), with forged Origin values derived from yours (an unrelated origin, null, your host as a prefix and a suffix of another host, a look-alike, a sub-domain, the http twin), graded by harm: a forged origin granted with credentials is critical. Sends real requests.",
    inputSchema: {
      type: 'object',
      properties: {
        url: urlProp,
        origin: { type: 'string', description: "Your page's origin; the forged ones are derived from it." },
        credentials: {
          type: 'boolean',
          description: 'Your calls use credentials: also say whether your own origin gets them.',
        },
      },
      required: ['url', 'origin'],
      additionalProperties: false,
    },
    annotations: { title: "Probe a server's origin policy", readOnlyHint: true, openWorldHint: true },
  },
  {
    name: 'cors_explain_har',
    title: 'Explain the CORS calls of a HAR file',
    description:
      "Explains every cross-origin call in a HAR file (exported from Chrome's or Firefox's DevTools) with the browser's rules: preflights paired with their requests, redirects chained, the blocked calls with their fixes, and what the file cannot tell. Reads the file only.",
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Path of the .har file on this machine.' } },
      required: ['path'],
      additionalProperties: false,
    },
    annotations: { title: 'Explain a HAR file', readOnlyHint: true, openWorldHint: false },
  },
];

// ------------------------------------------------------------------------------------ arguments

/** A bad argument: its message is the tool error the agent reads. */
class BadArgument extends Error {}

type Args = Record<string, unknown>;

function known(tool: Tool, args: Args): void {
  const props = Object.keys(tool.inputSchema.properties ?? {});
  for (const k of Object.keys(args))
    if (!props.includes(k))
      throw new BadArgument(`Unknown argument "${k}": ${tool.name} takes ${props.join(', ')}.`);
  for (const k of tool.inputSchema.required ?? [])
    if (args[k] === undefined || args[k] === null) throw new BadArgument(`Missing the argument "${k}".`);
}

function value<T>(r: Parsed<T>, what: string): T {
  if (!r.ok) throw new BadArgument(`${what}: ${r.error}.`.replace(/\.\.$/, '.'));
  return r.value;
}

function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadArgument(`"${key}" must be a string, not ${JSON.stringify(v)}.`);
  return v;
}

function bool(args: Args, key: string): boolean | undefined {
  const v = args[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean')
    throw new BadArgument(`"${key}" must be true or false, not ${JSON.stringify(v)}.`);
  return v;
}

function browserOf(args: Args): BrowserName {
  return value(browserProfile(str(args, 'browser') ?? DEFAULT_BROWSER), '"browser"').name;
}

/** Headers in any of the declared shapes, each line checked as `--header` checks it. */
function headerLines(v: unknown, key: string): HeaderLine[] {
  const line = (s: string) => value(parseHeaderArg(s), `"${key}"`);
  if (Array.isArray(v))
    return v.map((h: unknown) => {
      if (typeof h === 'string') return line(h);
      if (typeof h === 'object' && h !== null && 'name' in h && 'value' in h)
        return line(`${String(h.name)}: ${String(h.value)}`);
      throw new BadArgument(
        `"${key}" holds ${JSON.stringify(h)}: give "Name: value" strings or {name, value}.`,
      );
    });
  if (typeof v === 'object' && v !== null)
    return Object.entries(v as Record<string, unknown>).map(([n, x]) => line(`${n}: ${String(x)}`));
  throw new BadArgument(`"${key}" must be a list of "Name: value" strings or an object of headers.`);
}

function answer(v: unknown, key: string): GivenAnswer {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new BadArgument(`"${key}" must be an object with "status" and "headers".`);
  const a = v as Args;
  const status = a.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999)
    throw new BadArgument(`"${key}.status" must be an HTTP status (an integer from 100 to 999).`);
  if (a.headers === undefined) throw new BadArgument(`Missing "${key}.headers".`);
  return { status, headers: headerLines(a.headers, `${key}.headers`) };
}

// ------------------------------------------------------------------------------------ calls

const report = (entries: LogEntry[], scope: 'call' | 'listed'): Report =>
  buildReport(entries, { redact: true, scope, generator: `cors-lens ${VERSION}` });

function result(text: string, structured: object): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured as Record<string, unknown> };
}

async function corsCheck(args: Args): Promise<CallToolResult> {
  const browser = browserOf(args);
  const url = value(parseRequestUrl(str(args, 'url') ?? ''), '"url"');
  const origin = value(parseOrigin(str(args, 'origin') ?? ''), '"origin"');
  const method = value(parseMethod(str(args, 'method') ?? 'GET'), '"method"');
  const headers = args.headers === undefined ? [] : headerLines(args.headers, 'headers');
  const credentials = bool(args, 'credentials') ?? false;
  const r = await runCheck(
    { url, origin, method, headers, credentials },
    { defaults: CLI_DEFAULTS, timeoutMs: TIMEOUT_MS, browser },
  );
  let text = renderCall(plain, r.exchange, r.verdict, WIDTH);
  if (r.dropped.length)
    text += `\nNote: the browser drops these forbidden request headers set by scripts: ${r.dropped.join(', ')}.\n`;
  if (r.networkError)
    text += `\nNetwork failure: ${r.networkError.netError} for ${r.networkError.url}: ${r.networkError.reason}\n`;
  return result(text, report([{ exchange: r.exchange, verdict: r.verdict }], 'call'));
}

function corsExplain(args: Args): CallToolResult {
  const browser = browserOf(args);
  const url = value(parseRequestUrl(str(args, 'url') ?? ''), '"url"');
  const origin = value(parseOrigin(str(args, 'origin') ?? ''), '"origin"');
  const method = value(parseMethod(str(args, 'method') ?? ''), '"method"');
  const headers = headerLines(args.requestHeaders, 'requestHeaders');
  const response = answer(args.response, 'response');
  const preflight = args.preflight === undefined ? undefined : answer(args.preflight, 'preflight');
  const cookie = headers.some((h) => h.name.toLowerCase() === 'cookie');
  const credentials = bool(args, 'credentials') ?? cookie;
  const { exchange, verdict } = explainExchange(
    { url, origin, method, headers, credentials },
    preflight ? { response, preflight } : { response },
    browser,
  );
  let text = renderCall(plain, exchange, verdict, WIDTH);
  if (args.credentials === undefined)
    text += `\nJudged as a call ${credentials ? 'with credentials (the request carried a Cookie header)' : 'without credentials (no Cookie header); pass credentials: true if the page used credentials: "include"'}.\n`;
  return result(text, report([{ exchange, verdict }], 'call'));
}

async function corsProbe(args: Args): Promise<CallToolResult> {
  const url = value(parseRequestUrl(str(args, 'url') ?? ''), '"url"');
  const origin = value(parseOrigin(str(args, 'origin') ?? ''), '"origin"');
  const credentials = bool(args, 'credentials') ?? false;
  const totalTimeoutMs = PROBE_TOTAL_TIMEOUT_MS;
  const results = await runProbe(url, origin, {
    defaults: CLI_DEFAULTS,
    timeoutMs: TIMEOUT_MS,
    totalTimeoutMs,
  });
  const base = results[0];
  if (base?.error && results.every((r) => r.error))
    return { isError: true, content: [{ type: 'text', text: `${url} did not answer: ${base.error}.` }] };
  const run = {
    url,
    origin,
    credentials,
    results,
    worst: worstSeverity(results),
    timeoutMs: TIMEOUT_MS,
    totalTimeoutMs,
  };
  const sent = `Sent ${results.length} GET requests to ${url}, one per Origin below (timeout ${TIMEOUT_MS} ms each, ${totalTimeoutMs} ms in all).\n\n`;
  return result(sent + probeText(plain, run), probeJson(run));
}

async function corsExplainHar(args: Args): Promise<CallToolResult> {
  const path = str(args, 'path') ?? '';
  if (!path) throw new BadArgument('"path" is empty: give the path of a .har file.');
  const har = await readHarFile(path);
  const entries = harEntries(har);
  const notes = harNotes(har);
  const text = [...harTextParts(plain, path, har, WIDTH, 200)].join('');
  const full = report(entries, 'listed');
  // A big file: the calls that need attention only, so that the answer stays usable.
  const keep = entries.length > INDENT_MAX_CALLS;
  const calls = full.calls
    .map((c, i) => (notes.calls[i]?.length ? { ...c, notes: notes.calls[i] } : c))
    .filter((c) => !keep || c.outcome === 'blocked' || c.findings.length > 0);
  const fileNotes = keep
    ? [
        ...notes.file,
        `Only the blocked calls and those with findings are listed (${calls.length} of ${entries.length}).`,
      ]
    : notes.file;
  return result(text, { ...full, notes: fileNotes, calls });
}

/** Runs one tool; every failure is a tool error (isError) with one sentence, never a throw. */
export async function callTool(name: string, args: Args): Promise<CallToolResult> {
  const tool = TOOLS.find((t) => t.name === name);
  if (!tool)
    return {
      isError: true,
      content: [
        { type: 'text', text: `Unknown tool "${name}": use ${TOOLS.map((t) => t.name).join(', ')}.` },
      ],
    };
  try {
    known(tool, args);
    switch (name) {
      case 'cors_check':
        return await corsCheck(args);
      case 'cors_explain':
        return corsExplain(args);
      case 'cors_probe':
        return await corsProbe(args);
      default:
        return await corsExplainHar(args);
    }
  } catch (e) {
    const text =
      e instanceof BadArgument || e instanceof RunError
        ? e.message
        : `Internal error in ${name}: ${e instanceof Error ? e.message : String(e)}.`;
    return { isError: true, content: [{ type: 'text', text }] };
  }
}
