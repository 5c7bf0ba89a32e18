/**
 * `cors-lens har --recheck`: for each call whose answer the file does not hold, ask the server the same
 * question now (the `cors-lens check` of that call), one call after another, each request bounded by a
 * timeout, and at most `max` checks. The verdicts are merged into the HAR's calls, each marked as
 * re-checked at a given time and not seen in the file.
 *
 * The credentials mode is rarely in the file (a `Cookie` line proves "include"; nothing proves "omit").
 * When it is unknown and the server allows the call without credentials although the browser failed it,
 * the call is asked again with credentials, as the engine reads a failed call (docs/cors-failures.md §1.5).
 */
import { parseMethod, type Verdict } from '../engine';
import type { HarCall } from '../har';
import { checkCommand, type CheckSpec } from '../har/check-command';
import { runCheck, type CheckOptions } from './check';

export interface RecheckOptions {
  /** Per request, in milliseconds. */
  timeoutMs: number;
  /** At most this many checks (each `cors-lens check` run counts one). */
  max: number;
  insecure: boolean;
  defaults: CheckOptions['defaults'];
  /**
   * Calls whose answer the file does not hold beyond those passed (a big file holds only the first
   * `max`): counted as candidates and left undetermined.
   */
  notHeld?: number;
  /** Called before each check with (index, total, command). */
  onCheck?: (i: number, total: number, command: string) => void;
  now?: () => Date;
}

/** What one re-check found, as the report shows it (`recheck` on a call). */
export interface RecheckRecord {
  /** When the server was asked (ISO 8601). */
  checkedAt: string;
  /** The command that asked (secrets redacted). */
  command: string;
  /** Always true: this answer comes from the server now, not from the file. */
  notInFile: true;
  /** Whether the answer was taken into the verdict (false: a network failure, the file's verdict stays). */
  merged: boolean;
  outcome: Verdict['outcome'] | null;
  chromeError: string | null;
  /** A network failure while asking, or why nothing was asked. */
  error: string | null;
}

/** What `recheckCalls` did: the summary, and a record per call it asked about (the calls changed in place). */
export interface Rechecks {
  summary: RecheckSummary;
  records: Map<HarCall, RecheckRecord>;
}

export interface RecheckSummary {
  timeoutMs: number;
  max: number;
  /** Calls whose answer the file does not hold. */
  candidates: number;
  /** `cors-lens check` runs made. */
  checks: number;
  /** Calls left undetermined because the cap was reached. */
  skipped: number;
}

type Ask = (
  spec: CheckSpec,
) => Promise<{ ok: true; verdict: Verdict; exchange: HarCall['exchange'] } | { ok: false; error: string }>;

/** Re-checks the calls in place (their verdict, exchange, notes and `recheck`). */
export async function recheckCalls(calls: HarCall[], options: RecheckOptions): Promise<Rechecks> {
  const now = options.now ?? (() => new Date());
  const todo = calls.filter((c) => c.check);
  const records = new Map<HarCall, RecheckRecord>();
  let checks = 0;
  let skipped = 0;
  const ask: Ask = async (spec) => {
    checks++;
    options.onCheck?.(checks, Math.min(options.max, todo.length), checkCommand(spec));
    try {
      const method = parseMethod(spec.method);
      if (!method.ok) return { ok: false, error: `the method in the file: ${method.error}` };
      const r = await runCheck(
        { ...spec, method: method.value },
        {
          defaults: options.defaults,
          insecure: options.insecure,
          timeoutMs: options.timeoutMs,
          // A Firefox file's calls are asked again under Firefox's rules, as the file was judged.
          ...(spec.browser ? { browser: spec.browser } : {}),
        },
      );
      if (r.networkError) return { ok: false, error: `${r.networkError.netError}: ${r.networkError.reason}` };
      return { ok: true, verdict: r.verdict, exchange: r.exchange };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
  for (const call of todo) {
    const check = call.check as NonNullable<HarCall['check']>;
    if (checks >= options.max) {
      skipped++;
      continue;
    }
    const at = now().toISOString();
    let spec = check.spec;
    let answer = await ask(spec);
    // Unknown credentials, allowed without them: the browser's failure needs the credentialed reading.
    let inferred = false;
    if (answer.ok && answer.verdict.outcome === 'allowed' && !spec.credentials && checks < options.max) {
      const withCreds = { ...spec, credentials: true };
      const again = await ask(withCreds);
      if (again.ok && again.verdict.outcome === 'blocked') {
        spec = withCreds;
        answer = again;
        inferred = true;
      }
    }
    const command = checkCommand(spec);
    if (!answer.ok) {
      records.set(call, {
        checkedAt: at,
        command,
        notInFile: true,
        merged: false,
        outcome: null,
        chromeError: null,
        error: answer.error,
      });
      call.notes.push(
        `Re-checked at ${at}: the server could not be asked (${answer.error}); the verdict stays undetermined.`,
      );
      continue;
    }
    const v = answer.verdict;
    records.set(call, {
      checkedAt: at,
      command,
      notInFile: true,
      merged: true,
      outcome: v.outcome,
      chromeError: v.chromeError ?? null,
      error: null,
    });
    if (inferred) {
      v.confidence = {
        level: 'inferred',
        reason:
          'The browser failed this call. Asked again now, the server allows it without credentials and refuses it with them, so the page must have sent it with credentials (the file has no Cookie line to prove it).',
      };
    }
    mergeAnswer(call, v, answer.exchange, at, command);
  }
  return {
    summary: {
      timeoutMs: options.timeoutMs,
      max: options.max,
      candidates: todo.length + (options.notHeld ?? 0),
      checks,
      skipped: skipped + (options.notHeld ?? 0),
    },
    records,
  };
}

/** The server's answer now in place of the file's: the call keeps its id and time, and says so. */
function mergeAnswer(
  call: HarCall,
  v: Verdict,
  live: HarCall['exchange'],
  at: string,
  command: string,
): void {
  call.verdict = v;
  // At the file's time, lasting as long as the live check did (not from the file's time to now).
  const start = call.exchange.startTime;
  const endTime = live.endTime === undefined ? undefined : start + (live.endTime - live.startTime);
  call.exchange = {
    ...live,
    id: call.exchange.id,
    startTime: start,
    ...(endTime === undefined ? {} : { endTime }),
  };
  call.notes.push(
    `Re-checked live at ${at} with ${command}: this verdict is the server's answer now, not one seen in the file.`,
  );
  if (v.outcome === 'allowed')
    call.notes.push(
      'The browser failed this call when the file was recorded, but the server allows it now: the server has changed since, or the failure was not about these headers.',
    );
}
