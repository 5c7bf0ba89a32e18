/** Help texts: `cors-lens --help` and `cors-lens <command> --help`, generated from the command table. */
import { COMMAND_TABLE, commandName, type CommandSpec, type OptionSpec } from './command-table';
import type { Colors } from './term';

/** Where an option's description starts. */
const OPTION_COLUMN = 28;

const rows = (): [string, CommandSpec][] => Object.entries(COMMAND_TABLE);

/** Lines after the first of a multi-line text, indented to a column. */
const indent = (text: string, column: number): string => text.replaceAll('\n', `\n${' '.repeat(column)}`);

/** The Usage block: part of --help, and what a run without a command prints on stderr. */
export const USAGE = (c: Colors): string => {
  const lines = rows().map(([name, s]) => {
    const head = `  cors-lens ${name}`;
    return s.usage ? `${head} ${indent(s.usage, head.length + 1)}` : head;
  });
  return `${c.bold('Usage')}\n${lines.join('\n')}\n  cors-lens --help | --version\n`;
};

export const HELP = (c: Colors): string => {
  const commands = rows().map(([name, s]) => `  ${name.padEnd(8)}${indent(s.summary, 10)}`);
  return `${c.bold('cors-lens')}: CORS verdicts on the command line, with Chrome's rules (or Firefox's) and the CORS Lens panel's explanations.

${USAGE(c)}
${c.bold('Commands')}
${commands.join('\n')}

${c.bold('Options')}
  -h, --help       Help (also: cors-lens <command> --help)
  -V, --version    Print the version

${c.bold('Exit codes')}
  0  allowed / as expected    1  blocked / a difference / a serious finding
  2  usage error (also: no command), network failure, or an inconclusive probe

Colour is used on a terminal only; NO_COLOR turns it off.
`;
};

/** One option's line(s) in a command's help. */
function optionHelp(name: string, o: OptionSpec): string {
  const flag = `  ${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
  const text = o.help.replaceAll('{default}', o.default ?? '');
  return `${flag.padEnd(OPTION_COLUMN)}${indent(text, OPTION_COLUMN)}`;
}

function commandText(name: string, s: CommandSpec, c: Colors): string {
  const synopsis = s.synopsis ?? s.usage;
  const options = Object.entries(s.options).map(([n, o]) => `${optionHelp(n, o)}\n`);
  const list = s.listOptions !== false && options.length ? `\n${c.bold('Options')}\n${options.join('')}` : '';
  const outro = s.outro ? `\n${s.outro(c)}` : '';
  return `${c.bold(`cors-lens ${name}`)}${synopsis ? ` ${synopsis}` : ''}\n\n${s.intro(c)}${list}${outro}`;
}

export function commandHelp(command: string, c: Colors): string {
  const name = commandName(command);
  return name ? commandText(name, COMMAND_TABLE[name], c) : HELP(c);
}
