/** Recipe for Go's github.com/rs/cors. */
import type { Ctx } from '../common';
import { dq, optionalCredentials } from '../common';

export function goRsCors(ctx: Ctx): { code: string; notes: string[] } {
  const fields: [string, string][] = [
    ['AllowedOrigins', `[]string{${ctx.origins.map(dq).join(', ')}}`],
    ...(ctx.credentials ? ([['AllowCredentials', 'true']] as [string, string][]) : []),
    ['AllowedMethods', `[]string{${ctx.methods.map(dq).join(', ')}}`],
    ...(ctx.headers.length > 0
      ? ([['AllowedHeaders', `[]string{${ctx.headers.map(dq).join(', ')}}`]] as [string, string][])
      : []),
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 1;
  const code = [
    'package main',
    '',
    'import (',
    '\t"log"',
    '\t"net/http"',
    '',
    '\t"github.com/rs/cors"',
    ')',
    '',
    'func main() {',
    '\tmux := http.NewServeMux()',
    '\t// ... your handlers: mux.HandleFunc(...) ...',
    '',
    '\t// Every origin your frontend is served from: extend this list (production, staging, local dev).',
    '\tc := cors.New(cors.Options{',
    ...fields.map(([k, v]) => `\t\t${(k + ':').padEnd(width + 1)}${v},`),
    ...optionalCredentials(ctx, '//', '\t\t', 'AllowCredentials: true,'),
    '\t})',
    '',
    '\t// Wrap the whole mux: the handler answers preflights itself, before your handlers run.',
    '\tlog.Fatal(http.ListenAndServe(":8080", c.Handler(mux)))',
    '}',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.extraMethods.length > 0) {
    notes.push(
      `rs/cors allows only HEAD, GET and POST unless AllowedMethods is set, so ${ctx.extraMethods.join(', ')} must be listed.`,
    );
  }
  if (ctx.plan.handlePreflight || ctx.plan.errorResponses) {
    notes.push(
      'Wrap the outermost handler (c.Handler around your router and auth middleware), not a single route: otherwise auth answers the preflight with 401 and error responses leave without headers. Do not use cors.Default() or AllowOriginFunc returning true: they allow every origin.',
    );
  }
  return { code, notes };
}
