/**
 * The capture layer's input: one `chrome.webRequest` event, as the listener received it, tagged with the
 * event's name. Plain data, so recorded streams can be replayed in Node (test/fixtures/*.json).
 */
import type { HeaderLine } from '../engine';

export type WebRequestEventName =
  | 'beforeRequest'
  | 'beforeSendHeaders'
  | 'sendHeaders'
  | 'headersReceived'
  | 'beforeRedirect'
  | 'responseStarted'
  | 'completed'
  | 'errorOccurred';

/** The fields of `chrome.webRequest` details that capture reads; everything else is ignored. */
export interface WebRequestEvent {
  event: WebRequestEventName;
  requestId: string;
  url: string;
  method: string;
  type: string;
  tabId: number;
  frameId?: number;
  parentFrameId?: number;
  documentId?: string;
  initiator?: string;
  timeStamp: number;
  requestHeaders?: HeaderLine[];
  responseHeaders?: HeaderLine[];
  statusCode?: number;
  statusLine?: string;
  fromCache?: boolean;
  ip?: string;
  redirectUrl?: string;
  error?: string;
}

const EVENT_NAMES: ReadonlySet<string> = new Set<WebRequestEventName>([
  'beforeRequest',
  'beforeSendHeaders',
  'sendHeaders',
  'headersReceived',
  'beforeRedirect',
  'responseStarted',
  'completed',
  'errorOccurred',
]);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function headerList(v: unknown): HeaderLine[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: HeaderLine[] = [];
  for (const h of v as unknown[]) {
    if (!h || typeof h !== 'object') continue;
    const o = h as Record<string, unknown>;
    const name = str(o.name);
    if (name === undefined) continue;
    const line: HeaderLine = { name };
    const value = str(o.value);
    if (value !== undefined) line.value = value;
    else if (Array.isArray(o.binaryValue))
      line.binaryValue = (o.binaryValue as unknown[]).filter((b): b is number => typeof b === 'number');
    out.push(line);
  }
  return out;
}

/**
 * Turns untrusted input (a webRequest details object, a fixture line) into a {@link WebRequestEvent}, or
 * `undefined` when it lacks what capture needs. Never throws.
 */
export function toWebRequestEvent(event: unknown, details: unknown): WebRequestEvent | undefined {
  if (typeof event !== 'string' || !EVENT_NAMES.has(event)) return undefined;
  if (!details || typeof details !== 'object') return undefined;
  const d = details as Record<string, unknown>;
  const requestId = str(d.requestId) ?? (typeof d.requestId === 'number' ? String(d.requestId) : undefined);
  const url = str(d.url);
  const method = str(d.method);
  const tabId = num(d.tabId);
  if (requestId === undefined || url === undefined || method === undefined || tabId === undefined)
    return undefined;
  const ev: WebRequestEvent = {
    event: event as WebRequestEventName,
    requestId,
    url,
    method,
    type: str(d.type) ?? 'other',
    tabId,
    timeStamp: num(d.timeStamp) ?? 0,
  };
  const frameId = num(d.frameId);
  if (frameId !== undefined) ev.frameId = frameId;
  const parentFrameId = num(d.parentFrameId);
  if (parentFrameId !== undefined) ev.parentFrameId = parentFrameId;
  const documentId = str(d.documentId);
  if (documentId !== undefined) ev.documentId = documentId;
  const initiator = str(d.initiator);
  if (initiator !== undefined) ev.initiator = initiator;
  const requestHeaders = headerList(d.requestHeaders);
  if (requestHeaders) ev.requestHeaders = requestHeaders;
  const responseHeaders = headerList(d.responseHeaders);
  if (responseHeaders) ev.responseHeaders = responseHeaders;
  const statusCode = num(d.statusCode);
  if (statusCode !== undefined) ev.statusCode = statusCode;
  const statusLine = str(d.statusLine);
  if (statusLine !== undefined) ev.statusLine = statusLine;
  if (typeof d.fromCache === 'boolean') ev.fromCache = d.fromCache;
  const ip = str(d.ip);
  if (ip !== undefined) ev.ip = ip;
  const redirectUrl = str(d.redirectUrl);
  if (redirectUrl !== undefined) ev.redirectUrl = redirectUrl;
  const error = str(d.error);
  if (error !== undefined) ev.error = error;
  return ev;
}
