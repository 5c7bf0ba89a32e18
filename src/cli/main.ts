/**
 * cors-lens: the CORS Lens verdict engine on the command line.
 * Exit codes: 0 allowed (or nothing wrong), 1 blocked (or a difference / a serious finding),
 * 2 usage error or network failure (one line on stderr).
 */
import { printable } from '../report/printable';
import { RunError, UsageError } from './args';
import { commandName } from './command-table';
import { COMMANDS } from './commands';
import { USAGE } from './help';
import { ce, err, help, out } from './output';
import { VERSION } from './version';

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  // No command is a usage error a script can tell from success: the usage on stderr, exit 2.
  if (first === undefined) {
    err.write(USAGE(ce));
    return 2;
  }
  if (first === '--help' || first === '-h') return help();
  if (first === 'help') {
    const topic = rest[0];
    if (topic && !commandName(topic)) throw new UsageError(`unknown command "${topic}"`);
    return help(topic);
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    out.write(`${VERSION}\n`);
    return 0;
  }
  const name = commandName(first);
  if (!name) {
    const what = first.startsWith('-')
      ? `unknown option "${first}" (a command comes first)`
      : `unknown command "${first}"`;
    err.write(`cors-lens: ${printable(what)}\n\n${USAGE(ce)}`);
    return 2;
  }
  return COMMANDS[name](rest);
}

function fail(e: unknown): number {
  if (e instanceof UsageError) {
    err.write(`cors-lens${e.command ? ` ${e.command}` : ''}: ${printable(e.message)}\n`);
    err.write(ce.dim(`Run 'cors-lens${e.command ? ` ${e.command}` : ''} --help' for usage.\n`));
    return 2;
  }
  if (e instanceof RunError) {
    err.write(`cors-lens: ${printable(e.message)}\n`);
    return 2;
  }
  // A bug: one line, and the stack only when asked for.
  err.write(`cors-lens: internal error: ${printable(e instanceof Error ? e.message : String(e))}\n`);
  if (process.env.CORS_LENS_DEBUG && e instanceof Error && e.stack) err.write(`${e.stack}\n`);
  return 2;
}

// Output to a closed pipe (`cors-lens har big.har | head`) is not an error.
out.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.exitCode = fail(e);
  },
);
