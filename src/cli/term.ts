/**
 * Terminal output: colour only on a TTY (NO_COLOR, TERM=dumb and pipes turn it off; FORCE_COLOR turns
 * it on), and a progress line on stderr that exists only on a TTY.
 */
import { createColors } from 'picocolors';
import { printable } from '../report/printable';

export type Colors = ReturnType<typeof createColors>;

export interface Stream {
  isTTY?: boolean;
  write(s: string): boolean;
}

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function colorsFor(stream: Stream, env: NodeJS.ProcessEnv = process.env): Colors {
  return createColors(colorEnabled(stream, env));
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner / progress line on stderr; a no-op when stderr is not a TTY. */
export class Progress {
  private timer: ReturnType<typeof setInterval> | undefined;
  private frame = 0;
  private text = '';
  private readonly live: boolean;

  constructor(
    private readonly stream: Stream,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.live = stream.isTTY === true && env.TERM !== 'dumb' && !env.CI;
  }

  /** Shows or updates the line; with `spin`, animates it while the event loop is free. */
  update(text: string, spin = false): void {
    if (!this.live) return;
    // A URL or an origin may come from a server (a redirect): the line shows it escaped.
    this.text = printable(text);
    this.draw();
    if (spin && !this.timer) {
      this.timer = setInterval(() => this.draw(), 80);
      this.timer.unref?.();
    }
  }

  private draw(): void {
    const f = FRAMES[this.frame++ % FRAMES.length];
    const cols = (this.stream as { columns?: number }).columns ?? 80;
    const line = `${f} ${this.text}`.slice(0, Math.max(10, cols - 1));
    this.stream.write(`\r\x1b[2K${line}`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live && this.text) this.stream.write('\r\x1b[2K');
    this.text = '';
  }
}
