/**
 * The built command line (dist/cli; `npm run build:cli`) run as a user runs it: a child process with
 * only PATH and the given variables in its environment, its output gathered.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'cors-lens.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time of the whole process, in milliseconds. */
  ms: number;
}

export interface CliOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** Another build of the command line (a bundle made by the test). */
  cli?: string;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const t0 = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [options.cli ?? CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    // Decoded by the stream: a character whose bytes two chunks split stays one character.
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}
