/**
 * Servers for the browser proof of the fix recipes. Everything listens on 127.0.0.1 with an
 * ephemeral port (other test runs share the machine). The "fixed" servers are configured by the
 * generated recipe code itself, loaded as an ES module; nothing here re-implements CORS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { apacheConf, nginxConf, tempDir, tool } from '../../engine/fix/tools';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface Running {
  origin: string;
  close(): Promise<void>;
}

function originOf(server: http.Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A page server: the document the browser calls from. Its origin is the page origin. */
export async function startPage(): Promise<Running> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: originOf(server), close: () => new Promise((r) => server.close(() => r())) };
}

/**
 * Load generated recipe code as an ES module. The code refers to a free variable (`app`,
 * `fastify`) that the module gets from globalThis, exactly as if pasted into the developer's file.
 */
let loads = 0;
export async function loadRecipe(code: string, globals: Record<string, unknown>): Promise<void> {
  const dir = tempDir('recipe');
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const file = join(dir, `recipe-${++loads}.mjs`);
  writeFileSync(file, code);
  Object.assign(globalThis, globals);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    for (const key of Object.keys(globals)) delete (globalThis as Record<string, unknown>)[key];
  }
}

/** The API's routes, the same for the broken and the fixed configuration. */
const ROUTE_PATHS = ['/api/data'];
function reply(method: string): { ok: true; method: string } {
  return { ok: true, method };
}

export type ExpressSetup = (app: express.Express) => void | Promise<void>;

/** An Express API: `setup` installs CORS (broken by hand, or by the recipe), then the routes. */
export async function startExpress(setup: ExpressSetup): Promise<Running> {
  const app = express();
  await setup(app);
  for (const path of ROUTE_PATHS) {
    app.get(path, (req, res) => void res.json(reply(req.method)));
    app.post(path, (req, res) => void res.json(reply(req.method)));
    app.put(path, (req, res) => void res.json(reply(req.method)));
    app.delete(path, (req, res) => void res.json(reply(req.method)));
  }
  app.get('/api/fail', () => {
    throw new Error('boom');
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { origin: originOf(server), close: () => new Promise((r) => server.close(() => r())) };
}

export type FastifySetup = (fastify: FastifyInstance) => void | Promise<void>;

export async function startFastify(setup: FastifySetup): Promise<Running> {
  const fastify = Fastify();
  await setup(fastify);
  for (const path of ROUTE_PATHS) {
    fastify.route({
      method: ['GET', 'POST', 'PUT', 'DELETE'],
      url: path,
      handler: async (req) => reply(req.method),
    });
  }
  fastify.get('/api/fail', async () => {
    throw new Error('boom');
  });
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const { port } = fastify.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => fastify.close() };
}

/**
 * A plain backend without any CORS logic of its own (what sits behind nginx/Apache/Caddy). It
 * answers /api/data for GET/POST/PUT/DELETE, /api/fail with 500, OPTIONS with 405, and, when
 * `acao` is set, adds that Access-Control-Allow-Origin itself (the duplicate-header case).
 */
export async function startBackend(acao?: string): Promise<Running & { port: number }> {
  const server = http.createServer((req, res) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (acao) headers['access-control-allow-origin'] = acao;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') res.writeHead(405, headers).end();
    else if (path === '/api/fail') res.writeHead(500, headers).end('{"error":"boom"}');
    else if (path === '/api/data') res.writeHead(200, headers).end(JSON.stringify(reply(req.method ?? '')));
    else res.writeHead(404, headers).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { origin: originOf(server), port, close: () => new Promise((r) => server.close(() => r())) };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log()}`);
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), r(true)));
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not listen on ${port}: ${log()}`);
}

export interface ServerCommand {
  cmd: string;
  args: string[];
  /** A log file the server writes, shown (with its output) when it fails to start. */
  log: string;
  /** Extra environment variables (HOME is always the server's own temp dir). */
  env?: Record<string, string>;
  cwd?: string;
}

/** Run a server process on a free port; retries with another port if the port was taken meanwhile. */
export async function runServer(build: (port: number, dir: string) => ServerCommand): Promise<Running> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = tempDir('srv');
    const { cmd, args, log, env, cwd } = build(port, dir);
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env, HOME: dir },
      cwd,
    });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const readLog = (): string => {
      try {
        return output + readFileSync(log, 'utf8');
      } catch {
        return output;
      }
    };
    try {
      await waitForPort(port, child, readLog);
      return {
        origin: `http://127.0.0.1:${port}`,
        close: async () => {
          if (child.exitCode !== null) return;
          const exited = new Promise((r) => child.once('exit', r));
          child.kill('SIGTERM');
          await exited;
        },
      };
    } catch (e) {
      lastError = e;
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
  throw lastError;
}

/** nginx with the generated recipe (or a hand-written broken snippet in the same two-part shape). */
export function startNginx(recipe: string, content: string): Promise<Running> {
  const nginx = tool('nginx');
  if (!nginx) throw new Error('nginx missing');
  return runServer((port, dir) => {
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, nginxConf(recipe, { port, content, prefix: dir }));
    return {
      cmd: nginx,
      args: ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf],
      log: join(dir, 'error.log'),
    };
  });
}

/** Apache httpd in the foreground (-X) with the recipe in the VirtualHost, proxying to `backend`. */
export function startApache(recipe: string, backendPort: number): Promise<Running> {
  const apache = tool('apache2');
  if (!apache) throw new Error('apache2 missing');
  return runServer((port, dir) => {
    const conf = join(dir, 'httpd.conf');
    const proxy = [
      'LoadModule proxy_module /usr/lib/apache2/modules/mod_proxy.so',
      'LoadModule proxy_http_module /usr/lib/apache2/modules/mod_proxy_http.so',
    ].join('\n');
    writeFileSync(
      conf,
      `${proxy}\n${apacheConf(recipe, { port, dir, content: `ProxyPass "/api/" "http://127.0.0.1:${backendPort}/api/"` })}`,
    );
    return { cmd: apache, args: ['-X', '-f', conf], log: join(dir, 'error.log') };
  });
}

/** Caddy with the recipe's site block; the content placeholder becomes a reverse_proxy to `backend`. */
export function startCaddy(recipe: string, backendPort: number): Promise<Running> {
  const caddy = tool('caddy');
  if (!caddy) throw new Error('caddy missing');
  return runServer((port, dir) => {
    mkdirSync(join(dir, 'data'));
    const file = join(dir, 'Caddyfile');
    const site = recipe
      .replace(/^http:\/\/127\.0\.0\.1:\d+ \{$/m, `http://127.0.0.1:${port} {`)
      .replace(
        '\t# ... your existing reverse_proxy / file_server stays here ...',
        `\treverse_proxy 127.0.0.1:${backendPort}`,
      );
    writeFileSync(file, `{\n\tadmin off\n\tstorage file_system ${join(dir, 'data')}\n}\n\n${site}`);
    return { cmd: caddy, args: ['run', '--config', file, '--adapter', 'caddyfile'], log: join(dir, 'none') };
  });
}
