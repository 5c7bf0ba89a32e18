/**
 * More servers for the browser proof of the fix recipes: Koa, NestJS, Flask, Django, FastAPI and
 * Go (rs/cors). As in servers.ts, the "fixed" servers run the generated recipe code itself; the
 * harness only adds the API's routes and the listening address around it (each substitution is
 * checked, so a recipe that changes shape fails loudly instead of running something else).
 *
 * The Python servers run on the first python3 (PYTHON, then PATH, then /usr/bin/python3) that imports
 * the stack's modules: a pyenv python3 on PATH may not see Debian's python3-* packages, so every
 * candidate is tried. Go (GO_PATH, PATH, then the usual places) builds in GOPATH mode against Debian's
 * golang-github-rs-cors-dev (offline).
 * `missing*()` return the reason a stack cannot run here, for test.skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Koa from 'koa';
import { tempDir, tool, toolCandidates } from '../../engine/fix/tools';
import { runServer, type Running } from './servers';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Replace `marker` (which must occur exactly once) in generated code. */
function substitute(code: string, marker: string, replacement: string): string {
  const at = code.indexOf(marker);
  if (at < 0 || code.indexOf(marker, at + 1) >= 0) {
    throw new Error(`expected exactly one ${JSON.stringify(marker)} in:\n${code}`);
  }
  return code.slice(0, at) + replacement + code.slice(at + marker.length);
}

// ---------------------------------------------------------------------------------------------
// Koa (@koa/cors), in process like Express.

export type KoaSetup = (app: Koa) => void | Promise<void>;

export async function startKoa(setup: KoaSetup): Promise<Running> {
  const app = new Koa();
  app.silent = true; // the /api/fail route's error is expected
  await setup(app);
  app.use(async (ctx) => {
    if (ctx.path === '/api/data' && ['GET', 'POST', 'PUT', 'DELETE'].includes(ctx.method)) {
      ctx.body = { ok: true, method: ctx.method };
    } else if (ctx.path === '/api/fail' && ctx.method === 'GET') {
      throw new Error('boom');
    }
    // Anything else (OPTIONS included) is Koa's default 404.
  });
  const handle = app.callback();
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

// ---------------------------------------------------------------------------------------------
// NestJS: the recipe is a whole main.ts; it runs under tsx (ES modules, as @nestjs/* 11+ are).

const NEST_MODULE = `import 'reflect-metadata';
import { Controller, Delete, Get, Module, Post, Put, Req } from '@nestjs/common';

type Request = { method: string };

@Controller('api')
class DataController {
  @Get('data') get(@Req() req: Request) { return { ok: true, method: req.method }; }
  @Post('data') post(@Req() req: Request) { return { ok: true, method: req.method }; }
  @Put('data') put(@Req() req: Request) { return { ok: true, method: req.method }; }
  @Delete('data') remove(@Req() req: Request) { return { ok: true, method: req.method }; }
  @Get('fail') fail() { throw new Error('boom'); }
}

@Module({ controllers: [DataController] })
export class AppModule {}
`;

const NEST_LISTEN = 'await app.listen(3000);';

export function missingNest(): string | undefined {
  for (const pkg of [
    '@nestjs/core',
    '@nestjs/common',
    '@nestjs/platform-express',
    'reflect-metadata',
    'tsx',
  ]) {
    if (!existsSync(join(ROOT, 'node_modules', pkg, 'package.json'))) {
      return `${pkg} is not installed (npm ci): NestJS recipes are checked by structure only`;
    }
  }
  return undefined;
}

/** `main` is a NestJS main.ts (the recipe, or a broken one of the same shape). */
export function startNest(main: string): Promise<Running> {
  const source = substitute(
    main,
    NEST_LISTEN,
    "await app.listen(Number(process.env.PROOF_PORT), '127.0.0.1');",
  );
  return runServer((port, dir) => {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      '{ "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true } }\n',
    );
    writeFileSync(join(dir, 'app.module.ts'), NEST_MODULE);
    writeFileSync(join(dir, 'main.ts'), source);
    return {
      cmd: process.execPath,
      args: ['--import', 'tsx', 'main.ts'],
      log: join(dir, 'none'),
      cwd: dir,
      env: { PROOF_PORT: String(port) },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Python: Flask (Flask-CORS), Django (django-cors-headers), FastAPI (Starlette's CORSMiddleware).

/** Debian's interpreter: Debian's python3-* packages live in its dist-packages. */

const PY_STACKS = {
  flask: { modules: ['flask', 'flask_cors'], packages: 'python3-flask python3-flask-cors' },
  django: { modules: ['django', 'corsheaders'], packages: 'python3-django python3-django-cors-headers' },
  fastapi: { modules: ['fastapi', 'uvicorn'], packages: 'python3-fastapi python3-uvicorn' },
} as const;

const pyChecked = new Map<string, string | undefined>();

const pyChosen = new Map<string, string>();

/** Why the Python stack cannot run here, or undefined when some python3 imports its modules. */
export function missingPython(stack: keyof typeof PY_STACKS): string | undefined {
  if (!pyChecked.has(stack)) {
    const { modules, packages } = PY_STACKS[stack];
    const candidates = toolCandidates('python3');
    let reason: string | undefined = 'python3 not found on PATH';
    for (const python of candidates) {
      const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      if (r.status === 0) {
        pyChosen.set(stack, python);
        reason = undefined;
        break;
      }
      reason = `no python3 (${candidates.join(', ')}) can import ${modules.join(', ')}`;
    }
    pyChecked.set(
      stack,
      reason && `${reason} (apt-get install ${packages}): ${stack} recipes are checked by structure only`,
    );
  }
  return pyChecked.get(stack);
}

function runPython(
  stack: keyof typeof PY_STACKS,
  files: Record<string, string>,
  args: (port: number) => string[],
): Promise<Running> {
  if (missingPython(stack)) throw new Error(missingPython(stack));
  const python = pyChosen.get(stack)!;
  return runServer((port, dir) => {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return {
      cmd: python,
      args: args(port),
      log: join(dir, 'none'),
      cwd: dir,
      env: { PYTHONPATH: dir, PYTHONDONTWRITEBYTECODE: '1' },
    };
  });
}

const HARNESS = '# --- proof harness (not part of the recipe): the routes and the server ---';

/** A Flask app module defining `app` with a broken configuration added after `snippet`. */
export function flaskApp(snippet: string): string {
  return ['from flask import Flask', '', 'app = Flask(__name__)', '', snippet, ''].join('\n');
}

/** `module` defines `app` (the Flask recipe, or {@link flaskApp}); the harness adds the routes. */
export function startFlask(module: string): Promise<Running> {
  const harness = `
${HARNESS}
import sys
from flask import jsonify, request


@app.route("/api/data", methods=["GET", "POST", "PUT", "DELETE"])
def data():
    return jsonify(ok=True, method=request.method)


@app.route("/api/fail")
def fail():
    raise RuntimeError("boom")


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True)
`;
  return runPython('flask', { 'app.py': module + harness }, (port) => ['app.py', String(port)]);
}

/** A FastAPI app module defining `app` with a broken configuration after `snippet`. */
export function fastapiApp(snippet: string): string {
  return [
    'from fastapi import FastAPI',
    'from fastapi.middleware.cors import CORSMiddleware',
    '',
    'app = FastAPI()',
    '',
    snippet,
    '',
  ].join('\n');
}

/** `module` defines `app` (the FastAPI recipe, or {@link fastapiApp}); the harness adds routes. */
export function startFastApi(module: string): Promise<Running> {
  const harness = `
${HARNESS}
import sys

import uvicorn
from fastapi import HTTPException, Request


@app.api_route("/api/data", methods=["GET", "POST", "PUT", "DELETE"])
async def data(request: Request):
    return {"ok": True, "method": request.method}


@app.get("/api/fail")
async def fail():
    # An HTTPException: an unhandled exception would leave through ServerErrorMiddleware, outside
    # CORSMiddleware, without CORS headers (the recipe's note says so).
    raise HTTPException(status_code=500, detail="boom")


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
`;
  return runPython('fastapi', { 'app.py': module + harness }, (port) => ['app.py', String(port)]);
}

const DJANGO_BASE = `${HARNESS.replace('the routes and the server', 'what any Django project has')}
SECRET_KEY = "cors-lens-proof"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "proof_urls"
USE_TZ = True
INSTALLED_APPS = []
MIDDLEWARE = []

# --- the configuration under test ---
`;

const DJANGO_URLS = `from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_http_methods


@require_http_methods(["GET", "POST", "PUT", "DELETE"])
def data(request):
    return JsonResponse({"ok": True, "method": request.method})


def fail(request):
    raise RuntimeError("boom")


urlpatterns = [path("api/data", data), path("api/fail", fail)]
`;

/**
 * Django's runserver (no reloader) with `settings` (the recipe's settings.py lines, or broken ones)
 * after a minimal project's settings. `files` adds modules, such as a hand-written middleware.
 */
export function startDjango(settings: string, files: Record<string, string> = {}): Promise<Running> {
  return runPython(
    'django',
    { 'proof_settings.py': DJANGO_BASE + settings, 'proof_urls.py': DJANGO_URLS, ...files },
    (port) => [
      '-m',
      'django',
      'runserver',
      `127.0.0.1:${port}`,
      '--noreload',
      '--settings',
      'proof_settings',
    ],
  );
}

// ---------------------------------------------------------------------------------------------
// Go with github.com/rs/cors, built offline in GOPATH mode.

const GOPATH = '/usr/share/gocode';
const GO = tool('go');

export function missingGo(): string | undefined {
  if (!GO) return 'go is not installed (apt-get install golang-go): Go recipes are checked by syntax only';
  if (!existsSync(join(GOPATH, 'src/github.com/rs/cors/cors.go'))) {
    return `${GOPATH}/src/github.com/rs/cors is missing (apt-get install golang-github-rs-cors-dev): Go recipes are checked by syntax only`;
  }
  return undefined;
}

const GO_HANDLERS_LINE = '\t// ... your handlers: mux.HandleFunc(...) ...';
const GO_ADDR = '":8080"';

/** The routes and the listening address, in a second file of package main. */
const GO_HARNESS = `package main

import (
	"net/http"
	"os"
)

var proofAddr = "127.0.0.1:" + os.Getenv("PROOF_PORT")

func proofRoutes(mux *http.ServeMux) {
	mux.HandleFunc("/api/data", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(\`{"ok":true,"method":"\` + r.Method + \`"}\`))
	})
	mux.HandleFunc("/api/fail", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "boom", http.StatusInternalServerError)
	})
}
`;

/**
 * Build and run a Go program shaped like the rs/cors recipe (the recipe itself, or a broken one):
 * its handler placeholder becomes the harness's routes and ":8080" a loopback ephemeral port.
 */
export async function startGo(program: string): Promise<Running> {
  if (!GO) throw new Error('go missing');
  const dir = tempDir('go-srv');
  const main = substitute(substitute(program, GO_HANDLERS_LINE, '\tproofRoutes(mux)'), GO_ADDR, 'proofAddr');
  writeFileSync(join(dir, 'main.go'), main);
  writeFileSync(join(dir, 'proof.go'), GO_HARNESS);
  const bin = join(dir, 'server');
  const r = spawnSync(GO, ['build', '-o', bin, 'main.go', 'proof.go'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
    env: {
      ...process.env,
      GO111MODULE: 'off',
      GOPATH,
      GOFLAGS: '',
      // Shared between runs, so only the first build compiles net/http and rs/cors.
      GOCACHE: join(tmpdir(), 'cors-lens-gocache'),
      HOME: dir,
    },
  });
  if (r.status !== 0) throw new Error(`go build failed:\n${r.stdout}${r.stderr}\n${main}`);
  return runServer((port) => ({
    cmd: bin,
    args: [],
    log: join(dir, 'none'),
    env: { PROOF_PORT: String(port) },
  }));
}
