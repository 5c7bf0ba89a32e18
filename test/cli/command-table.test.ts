import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_TABLE,
  commandName,
  parseConfig,
  positionalsError,
  type CommandSpec,
} from '../../src/cli/command-table';
import { commandHelp, HELP, USAGE } from '../../src/cli/help';
import { colorsFor } from '../../src/cli/term';

const plain = colorsFor({ isTTY: false, write: () => true }, {});

describe('the command table', () => {
  it('gives the parser every option of a row, with its short flag and list type', () => {
    const { values } = parseArgs({
      args: ['-o', 'https://a.example', '-H', 'A: 1', '-H', 'B: 2', '-k', '--no-redact'],
      options: parseConfig(COMMAND_TABLE.check.options),
    });
    expect(values).toEqual({
      origin: 'https://a.example',
      header: ['A: 1', 'B: 2'],
      insecure: true,
      'no-redact': true,
    });
    expect(() =>
      parseArgs({ args: ['--stack', 'x'], options: parseConfig(COMMAND_TABLE.probe.options) }),
    ).toThrow(/Unknown option '--stack'/);
  });

  it('lists every listed option in its help, with the default the handler uses', () => {
    for (const [name, spec] of Object.entries<CommandSpec>(COMMAND_TABLE)) {
      const text = commandHelp(name, plain);
      expect(text.startsWith(`cors-lens ${name}`)).toBe(true);
      if (spec.listOptions === false) continue;
      for (const [option, o] of Object.entries(spec.options)) {
        expect(text).toContain(`--${option}`);
        if (o.short) expect(text).toContain(`-${o.short}, --${option}`);
      }
    }
    expect(commandHelp('check', plain)).toContain('--timeout <ms>        Per request (default 10000)');
    expect(commandHelp('probe', plain)).toContain('--total-timeout <ms>  For the whole run (default 60000)');
  });

  it('names every command in the usage and the command list', () => {
    for (const name of Object.keys(COMMAND_TABLE)) {
      expect(USAGE(plain)).toContain(`  cors-lens ${name}`);
      expect(HELP(plain)).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it('counts positional arguments as the row says', () => {
    const one = COMMAND_TABLE.check.positionals;
    expect(positionalsError(one, [])).toBe('missing the URL to check');
    expect(positionalsError(one, ['a', 'b'])).toBe('give one URL');
    expect(positionalsError(one, ['a'])).toBeUndefined();
    expect(positionalsError(COMMAND_TABLE.ci.positionals, [])).toBeUndefined();
    expect(positionalsError(COMMAND_TABLE.ci.positionals, ['a', 'b'])).toBe('give at most one config file');
    expect(positionalsError(COMMAND_TABLE.mcp.positionals, ['a'])).toMatch(/takes no arguments/);
  });

  it('knows only its own rows as commands', () => {
    expect(commandName('har')).toBe('har');
    expect(commandName('toString')).toBeUndefined();
    expect(commandName('constructor')).toBeUndefined();
  });
});
