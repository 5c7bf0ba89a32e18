/** Command-line arguments: parsing, the errors that end a run with exit code 2, small validators. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

/** A failure that is not the user's typing: unreachable server, unreadable file. Exit 2, no usage hint. */
export class RunError extends Error {}

type HelpOption = { help: { type: 'boolean'; short: 'h' } };

/** node:util's parseArgs with `--help` added to every command and its errors as usage errors. */
export function parse<const O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: O,
) {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as O & HelpOption;
  try {
    return parseArgs({ args, options: all, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(
      e instanceof Error ? e.message.replace(/\. To specify a positional.*$/s, '') : String(e),
      command,
    );
  }
}

export function need<T>(
  r: { ok: true; value: T } | { ok: false; error: string },
  command: string,
  what?: string,
): T {
  if (!r.ok) throw new UsageError(what ? `${what}: ${r.error}` : r.error, command);
  return r.value;
}

export function exclusive(command: string, v: Record<string, unknown>): void {
  if (v.json && v.markdown) throw new UsageError('--json and --markdown exclude each other', command);
}

export function timeoutOf(
  command: string,
  v: string | boolean | undefined,
  fallback = 10_000,
  option = '--timeout',
): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${option} must be a positive number of milliseconds, not "${String(v)}"`, command);
  return n;
}
