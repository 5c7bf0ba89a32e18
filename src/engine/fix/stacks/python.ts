/** Recipes for Python servers: Django (django-cors-headers), Flask-CORS and FastAPI/Starlette. */
import type { Ctx } from '../common';
import { dq, optionalCredentials } from '../common';

/** corsheaders.defaults.default_methods */
const DJANGO_DEFAULT_METHODS = ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
/** corsheaders.defaults.default_headers */
const DJANGO_DEFAULT_HEADERS = [
  'accept',
  'authorization',
  'content-type',
  'user-agent',
  'x-csrftoken',
  'x-requested-with',
];

function pyList(items: string[], indent = '    '): string {
  return ['[', ...items.map((i) => `${indent}${dq(i)},`), ']'].join('\n');
}

export function django(ctx: Ctx): { code: string; notes: string[] } {
  const extraHeaders = ctx.headersLower.filter((h) => !DJANGO_DEFAULT_HEADERS.includes(h));
  const extraMethods = ctx.methods.filter((m) => !DJANGO_DEFAULT_METHODS.includes(m));
  const lines = [
    '# settings.py (pip install django-cors-headers)',
    ...(extraHeaders.length > 0 || extraMethods.length > 0
      ? [
          `from corsheaders.defaults import ${[
            ...(extraHeaders.length > 0 ? ['default_headers'] : []),
            ...(extraMethods.length > 0 ? ['default_methods'] : []),
          ].join(', ')}`,
        ]
      : []),
    '',
    'INSTALLED_APPS = [',
    '    # ... your apps ...',
    '    "corsheaders",',
    ']',
    '',
    'MIDDLEWARE = [',
    '    # As high as possible, and before CommonMiddleware (and WhiteNoise), so that responses',
    '    # produced by other middleware (redirects, 404s, auth errors) get the headers too.',
    '    "corsheaders.middleware.CorsMiddleware",',
    '    "django.middleware.common.CommonMiddleware",',
    '    # ... the rest of your middleware ...',
    ']',
    '',
    '# Every origin your frontend is served from: extend this list (production, staging, local dev).',
    `CORS_ALLOWED_ORIGINS = ${pyList(ctx.origins)}`,
  ];
  if (ctx.credentials) lines.push('CORS_ALLOW_CREDENTIALS = True');
  lines.push(...optionalCredentials(ctx, '#', '', 'CORS_ALLOW_CREDENTIALS = True'));
  if (extraMethods.length > 0) {
    lines.push(`CORS_ALLOW_METHODS = (*default_methods, ${extraMethods.map(dq).join(', ')})`);
  }
  if (extraHeaders.length > 0) {
    lines.push(`CORS_ALLOW_HEADERS = (*default_headers, ${extraHeaders.map(dq).join(', ')})`);
  }
  if (ctx.scope !== '/') lines.push(`CORS_URLS_REGEX = r"^${ctx.scope.replace(/[.]/g, '\\.')}.*$"`);
  lines.push('');
  const notes: string[] = [];
  if (ctx.plan.handlePreflight || ctx.plan.errorResponses || ctx.plan.avoidRedirect) {
    notes.push(
      'CorsMiddleware must come before CommonMiddleware and anything else that can answer on its own (APPEND_SLASH redirects, auth, WhiteNoise); responses made above it carry no CORS headers.',
    );
  }
  if (ctx.plan.avoidRedirect) {
    notes.push(
      'A missing trailing slash makes CommonMiddleware (APPEND_SLASH) redirect, and preflights cannot follow redirects: call the URL with the slash your urls.py expects.',
    );
  }
  if (ctx.credentials) {
    notes.push(
      'Cookies: cross-site requests need SESSION_COOKIE_SAMESITE = "None" with SESSION_COOKIE_SECURE = True (and CSRF_COOKIE_* likewise), and unsafe methods need the origin in CSRF_TRUSTED_ORIGINS too.',
    );
  }
  return { code: lines.join('\n'), notes };
}

export function flask(ctx: Ctx): { code: string; notes: string[] } {
  const resource = ctx.scope === '/' ? '/*' : `${ctx.scope}*`;
  const lines = [
    'from flask import Flask',
    'from flask_cors import CORS',
    '',
    'app = Flask(__name__)',
    '',
    '# Every origin your frontend is served from: extend this list (production, staging, local dev).',
    `ALLOWED_ORIGINS = ${pyList(ctx.origins)}`,
    '',
    'CORS(',
    '    app,',
    `    resources={r${dq(resource)}: {"origins": ALLOWED_ORIGINS}},`,
  ];
  if (ctx.credentials) lines.push('    supports_credentials=True,');
  lines.push(...optionalCredentials(ctx, '#', '    ', 'supports_credentials=True,'));
  lines.push(`    methods=[${ctx.methods.map(dq).join(', ')}],`);
  if (ctx.headers.length > 0) lines.push(`    allow_headers=[${ctx.headers.map(dq).join(', ')}],`);
  lines.push(')', '');
  const notes: string[] = [];
  if (ctx.credentials) {
    notes.push(
      'Always pass the origins: Flask-CORS defaults to origins="*" and, with send_wildcard=False, echoes whatever Origin arrives, which together with supports_credentials=True lets any site read your users\' data.',
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'Flask-CORS adds the headers to error responses too (always_send and intercept_exceptions default to True); keep them on, and make sure errors are raised inside Flask, not by a proxy in front of it.',
    );
  }
  return { code: lines.join('\n'), notes };
}

export function fastapi(ctx: Ctx): { code: string; notes: string[] } {
  const lines = [
    'from fastapi import FastAPI',
    'from fastapi.middleware.cors import CORSMiddleware',
    '',
    'app = FastAPI()',
    '',
    '# Every origin your frontend is served from: extend this list (production, staging, local dev).',
    `origins = ${pyList(ctx.origins)}`,
    '',
    'app.add_middleware(',
    '    CORSMiddleware,',
    '    allow_origins=origins,',
  ];
  if (ctx.credentials) lines.push('    allow_credentials=True,');
  lines.push(...optionalCredentials(ctx, '#', '    ', 'allow_credentials=True,'));
  lines.push(`    allow_methods=[${ctx.methods.map(dq).join(', ')}],`);
  if (ctx.headers.length > 0) lines.push(`    allow_headers=[${ctx.headers.map(dq).join(', ')}],`);
  lines.push(')', '');
  const notes: string[] = [];
  if (ctx.plan.handlePreflight || ctx.extraMethods.length > 0) {
    notes.push(
      'allow_methods defaults to ["GET"] only and allow_headers to none, so a preflight for any other method or a non-safelisted header gets a 400 "Disallowed CORS method/headers": list them as above.',
    );
  }
  if (ctx.plan.avoidRedirect) {
    notes.push(
      'FastAPI redirects /items to /items/ (redirect_slashes) with a 307, which a preflight cannot follow (and behind a proxy the redirect can drop https): call the exact path your route declares.',
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'Add CORSMiddleware last (so it is the outermost middleware). Unhandled exceptions become 500s in ServerErrorMiddleware outside it and carry no CORS headers: catch them with an exception handler that returns a response.',
    );
  }
  return { code: lines.join('\n'), notes };
}
