/** Recipes for web servers and reverse proxies: nginx, Apache httpd and Caddy. */
import type { Ctx } from '../common';
import { isAllowableOrigin, optionalCredentials } from '../common';

const CORS_HEADERS_SET = ['access-control-allow-origin', 'access-control-allow-credentials', 'vary'];

/** The line where the developer's own content handler goes; tests swap it for a real one. */
export const NGINX_CONTENT_LINE = '    # ... your existing proxy_pass / root / try_files stays here ...';
/** The comment that starts the part of the nginx recipe that goes into a server {} block. */
export const NGINX_SERVER_PART = '# 2.';

function hostOf(ctx: Ctx): string {
  return isAllowableOrigin(ctx.plan.apiOrigin) ? ctx.plan.apiOrigin.replace(/^[^:]+:\/\//, '') : 'your API';
}

export function nginx(ctx: Ctx): { code: string; notes: string[] } {
  const cors = (indent: string, preflight: boolean): string[] => {
    const lines = [`add_header Access-Control-Allow-Origin $cors_allow_origin always;`];
    if (ctx.credentials) lines.push('add_header Access-Control-Allow-Credentials true always;');
    lines.push(
      ...optionalCredentials(ctx, '#', '', 'add_header Access-Control-Allow-Credentials true always;'),
    );
    if (preflight) {
      lines.push(`add_header Access-Control-Allow-Methods "${ctx.methods.join(', ')}" always;`);
      if (ctx.headers.length > 0) {
        lines.push(`add_header Access-Control-Allow-Headers "${ctx.headers.join(', ')}" always;`);
      }
    }
    lines.push('add_header Vary Origin always;');
    return lines.map((l) => indent + l);
  };
  const code = [
    '# 1. In the http {} block: the origins allowed to read responses (exact strings; extend the list).',
    '#    Any other origin maps to "", and nginx sends no header with an empty value.',
    'map $http_origin $cors_allow_origin {',
    '    default "";',
    ...ctx.origins.map((o) => `    "${o}" $http_origin;`),
    '}',
    '',
    `${NGINX_SERVER_PART} In the server {} block of ${hostOf(ctx)}, in the location that serves ${ctx.scope}:`,
    `location ${ctx.scope} {`,
    ...ctx.remove.map((r) => `    proxy_hide_header ${r.name};  # the upstream sends it too`),
    '    # Answer the preflight here, before anything that could reject it (auth, 404, 405).',
    '    if ($request_method = OPTIONS) {',
    ...cors('        ', true),
    '        return 204;',
    '    }',
    '    # "always": also on 4xx/5xx responses, so the page can read the real error.',
    ...cors('    ', false),
    '',
    NGINX_CONTENT_LINE,
    '}',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.plan.errorResponses) {
    notes.push(
      'Keep "always" on every add_header: without it nginx adds the header only to 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308 responses, so 4xx/5xx answers reach the browser without CORS headers and the page sees a CORS error instead of the real status.',
    );
  }
  notes.push(
    'add_header directives are inherited from the server {} level only if the location has none: once this location has its own add_header, repeat any server-level ones (HSTS, CSP) here.',
  );
  if (ctx.remove.length > 0) {
    notes.push(
      "proxy_hide_header drops the header the upstream app sends, so the browser gets nginx's single value. (Use fastcgi_hide_header / uwsgi_hide_header for those upstreams.) Alternatively remove the CORS setup from the app and leave it to nginx.",
    );
  }
  return { code, notes };
}

function regexEscape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function apache(ctx: Ctx): { code: string; notes: string[] } {
  const pattern = `^(${ctx.origins.map(regexEscape).join('|')})$`;
  const lines = [
    `# In the <VirtualHost> of ${hostOf(ctx)}. Needs mod_headers, mod_setenvif and mod_rewrite.`,
    `# Allowed origins (extend the list: production, staging, local dev): ${ctx.origins.join(' ')}`,
    '# CORS_ORIGIN is set only when the Origin is exactly one of them (anchored, dots escaped).',
    `SetEnvIf Origin "${pattern}" CORS_ORIGIN=$1`,
    ...ctx.remove.map((r) => `Header unset ${r.name}`),
    '# "always": also on error responses (4xx/5xx), so the page can read the real error.',
    'Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN',
  ];
  if (ctx.credentials)
    lines.push('Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN');
  lines.push(
    ...optionalCredentials(
      ctx,
      '#',
      '',
      'Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN',
    ),
  );
  lines.push(`Header always set Access-Control-Allow-Methods "${ctx.methods.join(', ')}" env=CORS_ORIGIN`);
  if (ctx.headers.length > 0) {
    lines.push(`Header always set Access-Control-Allow-Headers "${ctx.headers.join(', ')}" env=CORS_ORIGIN`);
  }
  lines.push(
    'Header always merge Vary Origin',
    '',
    '# Answer preflights here with 204, before authentication or the application sees them.',
    'RewriteEngine On',
    'RewriteCond %{REQUEST_METHOD} OPTIONS',
    'RewriteCond %{HTTP:Access-Control-Request-Method} !^$',
    `RewriteRule "^${regexEscape(ctx.scope)}" - [R=204,L]`,
    '',
  );
  const notes: string[] = [];
  if (ctx.plan.errorResponses) {
    notes.push(
      '"Header set" without "always" only touches successful responses; error responses (and responses from some handlers) go out without the CORS headers. Use "always" for every CORS header, and do not mix both forms for the same header or it is sent twice.',
    );
  }
  if (ctx.remove.length > 0) {
    notes.push(
      '"Header unset" removes the copy the proxied application sends; headers set with "always" live in a separate table, so without it a proxied response carries both values.',
    );
  }
  return { code: lines.join('\n'), notes };
}

export function caddy(ctx: Ctx): { code: string; notes: string[] } {
  const set = (indent: string, preflight: boolean): string[] => {
    const lines = ['Access-Control-Allow-Origin "{header.Origin}"'];
    if (ctx.credentials) lines.push('Access-Control-Allow-Credentials "true"');
    lines.push(...optionalCredentials(ctx, '#', '', 'Access-Control-Allow-Credentials "true"'));
    if (preflight) {
      lines.push(`Access-Control-Allow-Methods "${ctx.methods.join(', ')}"`);
      if (ctx.headers.length > 0) lines.push(`Access-Control-Allow-Headers "${ctx.headers.join(', ')}"`);
    }
    lines.push('+Vary "Origin"');
    return lines.map((l) => indent + l);
  };
  const scopeMatch = ctx.scope === '/' ? '*' : `${ctx.scope}*`;
  const originLines = ctx.origins.map((o) => `\t\theader Origin ${o}`);
  const removals = ctx.remove
    .filter((r) => !CORS_HEADERS_SET.includes(r.name.toLowerCase()))
    .map((r) => `\t\t-${r.name}`);
  const code = [
    `# In the site block of ${hostOf(ctx)}. Only the listed origins are echoed back.`,
    `${/^https?:/.test(ctx.plan.apiOrigin) && isAllowableOrigin(ctx.plan.apiOrigin) ? ctx.plan.apiOrigin : 'api.example.com'} {`,
    '\t@cors_origin {',
    `\t\tpath ${scopeMatch}`,
    ...originLines,
    '\t}',
    '\t@cors_preflight {',
    '\t\tmethod OPTIONS',
    `\t\tpath ${scopeMatch}`,
    ...originLines,
    '\t\theader Access-Control-Request-Method *',
    '\t}',
    '',
    '\t# Answer the preflight here, before any auth plugin or the upstream sees it.',
    '\thandle @cors_preflight {',
    '\t\theader {',
    ...set('\t\t\t', true),
    '\t\t}',
    '\t\trespond 204',
    '\t}',
    '',
    '\t# "defer" applies the headers after the upstream answered, replacing any copy it sent.',
    '\theader @cors_origin {',
    ...set('\t\t', false),
    ...removals,
    '\t\tdefer',
    '\t}',
    '',
    '\t# ... your existing reverse_proxy / file_server stays here ...',
    '}',
    '',
  ].join('\n');
  const notes: string[] = [
    'Caddy has no CORS directive; echoing {header.Origin} is safe here only because the @cors_origin matcher lists the exact origins. Never echo it unconditionally with credentials.',
  ];
  if (ctx.plan.handlePreflight) {
    notes.push(
      'Auth plugins (caddy-jwt, forward_auth, basicauth) reject the preflight, which never carries credentials: keep the handle @cors_preflight block ahead of them.',
    );
  }
  return { code, notes };
}
