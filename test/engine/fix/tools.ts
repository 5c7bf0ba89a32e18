/**
 * Real parsers and servers for checking generated recipes. Shared by the syntax tests and the
 * browser proof (test/e2e/fixes.spec.ts). External tools are optional: `tool()` says whether one is
 * installed, and callers skip with a visible message when it is not.
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdtempSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as acorn from 'acorn';
import ts from 'typescript';
import { APIGW_JSON_END, APIGW_JSON_START } from '../../../src/engine/fix/stacks/aws';
import { NGINX_CONTENT_LINE, NGINX_SERVER_PART } from '../../../src/engine/fix/stacks/servers';

/**
 * Every executable called one of `names` on PATH, in PATH order. Tests find tools there first, then
 * at the usual fixed places (sbin directories are often not on a user's PATH).
 */
export function onPath(...names: string[]): string[] {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  const out: string[] = [];
  for (const dir of dirs) {
    for (const name of names) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        if (statSync(p).isFile() && !out.includes(p)) out.push(p);
      } catch {
        // not there
      }
    }
  }
  return out;
}

/** Where each tool may be: an override from the environment, PATH, then the usual fixed paths. */
const CANDIDATES = {
  python3: () => [
    process.env.PYTHON ?? '',
    ...onPath('python3'),
    '/usr/bin/python3',
    '/usr/local/bin/python3',
  ],
  nginx: () => [process.env.NGINX_PATH ?? '', ...onPath('nginx'), '/usr/sbin/nginx', '/usr/local/sbin/nginx'],
  apache2: () => [
    process.env.APACHE_PATH ?? '',
    ...onPath('apache2', 'httpd'),
    '/usr/sbin/apache2',
    '/usr/sbin/httpd',
  ],
  caddy: () => [process.env.CADDY_PATH ?? '', ...onPath('caddy'), '/usr/bin/caddy', '/usr/local/bin/caddy'],
  java: () => [...onPath('java'), '/usr/bin/java'],
  go: () => [process.env.GO_PATH ?? '', ...onPath('go'), '/usr/lib/go/bin/go', '/usr/local/go/bin/go'],
  gofmt: () => [...onPath('gofmt'), '/usr/lib/go/bin/gofmt', '/usr/local/go/bin/gofmt'],
} satisfies Record<string, () => string[]>;

/** Every place a tool is installed, best first (duplicates removed). */
export function toolCandidates(name: keyof typeof CANDIDATES): string[] {
  const seen = new Set<string>();
  return CANDIDATES[name]().filter((p) => {
    if (p === '' || !existsSync(p)) return false;
    // /bin/go and /usr/bin/go are one program on a merged-/usr system.
    const real = p.includes('/shims/') ? p : realpathSync(p);
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  });
}

/** Absolute path of an installed tool, or undefined. */
export function tool(name: keyof typeof CANDIDATES): string | undefined {
  return toolCandidates(name)[0];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cors-lens-${prefix}-`));
}

// ---------------------------------------------------------------------------------------------
// In-process parsers: each returns an error message, or undefined when the code parses.

export function parseJs(code: string): string | undefined {
  try {
    acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'module' });
    return undefined;
  } catch (e) {
    return String(e);
  }
}

export function parseTs(code: string): string | undefined {
  const out = ts.transpileModule(code, {
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  return errors.length > 0 ? errors.join('; ') : undefined;
}

/** The JSON document of the API Gateway recipe (between the heredoc markers). */
export function apiGatewayJson(code: string): unknown {
  const start = code.indexOf(APIGW_JSON_START);
  const end = code.indexOf(`\n${APIGW_JSON_END}\n`, start);
  if (start < 0 || end < 0) throw new Error('no heredoc in the API Gateway recipe');
  return JSON.parse(code.slice(start + APIGW_JSON_START.length, end));
}

/** Braces, brackets and parentheses balanced outside string literals and // or # comments. */
export function balanced(code: string, opts: { lineComment: string[] } = { lineComment: ['//'] }): boolean {
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  for (const raw of code.split('\n')) {
    let line = raw;
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (opts.lineComment.some((m) => line.startsWith(m, i))) {
        line = line.slice(0, i);
        break;
      }
      if (c === '"' || c === "'") quote = c;
      else if (c === '(' || c === '[' || c === '{') stack.push(c);
      else if (pairs[c]) {
        if (stack.pop() !== pairs[c]) return false;
      }
    }
    if (quote) return false;
  }
  return stack.length === 0;
}

// ---------------------------------------------------------------------------------------------
// External parsers, batched: one process for many snippets. Each returns one result per input.

function run(cmd: string, args: string[], input?: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

const PY_CHECK = `
import ast, json, sys
out = []
for src in json.load(sys.stdin):
    try:
        ast.parse(src)
        out.append(None)
    except SyntaxError as e:
        out.append(f"{e.msg} at line {e.lineno}: {e.text!r}")
print(json.dumps(out))
`;

export function parsePython(sources: string[]): (string | undefined)[] {
  const python = tool('python3');
  if (!python) throw new Error('python3 missing');
  const r = run(python, ['-c', PY_CHECK], JSON.stringify(sources));
  if (r.status !== 0) throw new Error(r.out);
  return (JSON.parse(r.out) as (string | null)[]).map((e) => e ?? undefined);
}

const JAVA_CHECK = `
import javax.tools.*;
import com.sun.source.util.JavacTask;
import java.util.*;
import java.io.File;
public class JavaSyntax {
  public static void main(String[] args) throws Exception {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    for (String path : args) {
      DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
      StandardJavaFileManager fm = compiler.getStandardFileManager(diags, null, null);
      JavacTask task = (JavacTask) compiler.getTask(null, fm, diags, List.of("-proc:none"), null,
          fm.getJavaFileObjects(new File(path)));
      task.parse();
      StringBuilder sb = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics())
        if (d.getKind() == Diagnostic.Kind.ERROR) sb.append(d.getLineNumber()).append(": ").append(d.getMessage(null)).append(" | ");
      System.out.println(sb.length() == 0 ? "OK" : "ERR " + sb.toString().replace('\\n', ' '));
    }
  }
}
`;

/** Java syntax (javac's parser, no symbol resolution: Spring need not be on the class path). */
export function parseJava(sources: string[]): (string | undefined)[] {
  const java = tool('java');
  if (!java) throw new Error('java missing');
  const dir = tempDir('java');
  writeFileSync(join(dir, 'JavaSyntax.java'), JAVA_CHECK);
  const files = sources.map((src, i) => {
    const f = join(dir, `Recipe${i}.java`);
    writeFileSync(f, src);
    return f;
  });
  const r = run(java, [join(dir, 'JavaSyntax.java'), ...files]);
  if (r.status !== 0) throw new Error(r.out);
  const lines = r.out.trim().split('\n');
  return lines.map((l) => (l === 'OK' ? undefined : l));
}

/** Go syntax via `gofmt -e` (the go/parser package), one file at a time in one process. */
export function parseGo(sources: string[]): (string | undefined)[] {
  const gofmt = tool('gofmt');
  if (!gofmt) throw new Error('gofmt missing');
  const dir = tempDir('go');
  return sources.map((src, i) => {
    const f = join(dir, `recipe${i}.go`);
    writeFileSync(f, src);
    const r = run(gofmt, ['-e', '-l', f]);
    return r.status === 0 ? undefined : r.out;
  });
}

// ---------------------------------------------------------------------------------------------
// nginx, Apache and Caddy configuration around a generated snippet.

/** A complete nginx.conf around the nginx recipe: part 1 in http {}, part 2 in a server {}. */
export function nginxConf(code: string, o: { port: number; content: string; prefix: string }): string {
  const split = code.indexOf(`\n${NGINX_SERVER_PART}`);
  if (split < 0 || !code.includes(NGINX_CONTENT_LINE)) throw new Error('nginx recipe lacks its markers');
  const httpPart = code.slice(0, split);
  const serverPart = code.slice(split).replace(NGINX_CONTENT_LINE, `    ${o.content}`);
  return [
    'daemon off;',
    'master_process off;',
    'worker_processes 1;',
    `pid ${o.prefix}/nginx.pid;`,
    `error_log ${o.prefix}/error.log;`,
    'events { worker_connections 64; }',
    'http {',
    `    access_log off;`,
    `    client_body_temp_path ${o.prefix}/tmp-body;`,
    `    proxy_temp_path ${o.prefix}/tmp-proxy;`,
    `    fastcgi_temp_path ${o.prefix}/tmp-fastcgi;`,
    `    uwsgi_temp_path ${o.prefix}/tmp-uwsgi;`,
    `    scgi_temp_path ${o.prefix}/tmp-scgi;`,
    httpPart,
    'server {',
    `    listen 127.0.0.1:${o.port};`,
    serverPart,
    '}',
    '}',
    '',
  ].join('\n');
}

export function checkNginx(code: string): string | undefined {
  const nginx = tool('nginx');
  if (!nginx) throw new Error('nginx missing');
  const dir = tempDir('nginx-t');
  const conf = join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConf(code, { port: 1, content: 'return 200 "ok";', prefix: dir }));
  const r = run(nginx, ['-t', '-q', '-p', dir, '-e', join(dir, 'error.log'), '-c', conf]);
  return r.status === 0 ? undefined : r.out;
}

const APACHE_MODULES = '/usr/lib/apache2/modules';

/** A complete httpd.conf with the Apache recipe inside a <VirtualHost>. */
export function apacheConf(code: string, o: { port: number; dir: string; content?: string }): string {
  const mod = (name: string, file: string): string => `LoadModule ${name} ${APACHE_MODULES}/${file}`;
  return [
    `ServerRoot ${o.dir}`,
    mod('mpm_event_module', 'mod_mpm_event.so'),
    mod('authz_core_module', 'mod_authz_core.so'),
    mod('headers_module', 'mod_headers.so'),
    mod('setenvif_module', 'mod_setenvif.so'),
    mod('rewrite_module', 'mod_rewrite.so'),
    mod('alias_module', 'mod_alias.so'),
    `Listen 127.0.0.1:${o.port}`,
    `PidFile ${o.dir}/httpd.pid`,
    `ErrorLog ${o.dir}/error.log`,
    `DefaultRuntimeDir ${o.dir}`,
    'ServerName localhost',
    `<VirtualHost 127.0.0.1:${o.port}>`,
    code,
    o.content ?? '',
    '</VirtualHost>',
    '',
  ].join('\n');
}

export function checkApache(code: string): string | undefined {
  const apache = tool('apache2');
  if (!apache || !existsSync(APACHE_MODULES)) throw new Error('apache2 missing');
  const dir = tempDir('httpd-t');
  const conf = join(dir, 'httpd.conf');
  writeFileSync(conf, apacheConf(code, { port: 1, dir }));
  const r = run(apache, ['-t', '-f', conf]);
  return r.status === 0 ? undefined : r.out;
}

/** `caddy adapt --validate`: parses the Caddyfile and validates the resulting JSON config. */
export function checkCaddy(code: string): string | undefined {
  const caddy = tool('caddy');
  if (!caddy) throw new Error('caddy missing');
  const dir = tempDir('caddy-t');
  const file = join(dir, 'Caddyfile');
  writeFileSync(file, code);
  const r = spawnSync(caddy, ['adapt', '--config', file, '--adapter', 'caddyfile', '--validate'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
  return r.status === 0 ? undefined : `${r.stdout}${r.stderr}`;
}
