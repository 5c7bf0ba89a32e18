/** Recipes for Spring MVC (CorsRegistry and @CrossOrigin) and ASP.NET Core. */
import type { Ctx } from '../common';
import { dq, optionalCredentials } from '../common';

const SPRING_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE'];

export function spring(ctx: Ctx): { code: string; notes: string[] } {
  const mapping = ctx.scope === '/' ? '/**' : `${ctx.scope}**`;
  const chain = [
    `.allowedOrigins(${ctx.origins.map(dq).join(', ')})`,
    `.allowedMethods(${ctx.methods.map(dq).join(', ')})`,
    ...(ctx.headers.length > 0 ? [`.allowedHeaders(${ctx.headers.map(dq).join(', ')})`] : []),
    ...(ctx.credentials ? ['.allowCredentials(true)'] : []),
  ];
  chain[chain.length - 1] += ';';
  // The option goes before the last call, which carries the `;`.
  chain.splice(chain.length - 1, 0, ...optionalCredentials(ctx, '//', '', '.allowCredentials(true)'));
  const annotationMethods = ctx.methods.filter((m) => SPRING_METHODS.includes(m));
  const attrs = [
    `origins = {${ctx.origins.map(dq).join(', ')}}`,
    `methods = {${annotationMethods.map((m) => `RequestMethod.${m}`).join(', ')}}`,
    ...(ctx.headers.length > 0 ? [`allowedHeaders = {${ctx.headers.map(dq).join(', ')}}`] : []),
    ...(ctx.credentials ? ['allowCredentials = "true"'] : []),
  ];
  const code = [
    'import org.springframework.context.annotation.Configuration;',
    'import org.springframework.web.bind.annotation.CrossOrigin;',
    'import org.springframework.web.bind.annotation.RequestMethod;',
    'import org.springframework.web.bind.annotation.RestController;',
    'import org.springframework.web.servlet.config.annotation.CorsRegistry;',
    'import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;',
    '',
    '// Global: one mapping for the whole API. Extend the origin list (production, staging, local dev).',
    '@Configuration',
    'class CorsConfig implements WebMvcConfigurer {',
    '    @Override',
    '    public void addCorsMappings(CorsRegistry registry) {',
    `        registry.addMapping(${dq(mapping)})`,
    ...chain.map((c) => `            ${c}`),
    '    }',
    '}',
    '',
    '// Or per controller (use one of the two, not both):',
    `@CrossOrigin(${attrs.join(', ')})`,
    '@RestController',
    'class ApiController {',
    '    // ... your handlers ...',
    '}',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.credentials) {
    notes.push(
      'allowCredentials(true) with allowedOrigins("*") throws IllegalArgumentException at startup (Spring 5.3+). List the origins as above; for a family of origins use allowedOriginPatterns("https://*.example.com") instead of "*".',
    );
  }
  if (ctx.plan.handlePreflight || ctx.plan.errorResponses) {
    notes.push(
      'With Spring Security, the filter chain answers before Spring MVC: enable http.cors(Customizer.withDefaults()) so preflights are handled with this configuration before authentication (a preflight never carries credentials, so it otherwise gets 401/403).',
    );
  }
  const dropped = ctx.methods.filter((m) => !SPRING_METHODS.includes(m));
  if (dropped.length > 0) {
    notes.push(
      `@CrossOrigin only takes RequestMethod values; use the CorsRegistry form for ${dropped.join(', ')}.`,
    );
  }
  return { code, notes };
}

export function aspnet(ctx: Ctx): { code: string; notes: string[] } {
  const policy = [
    `policy.WithOrigins(${ctx.origins.map(dq).join(', ')})`,
    `.WithMethods(${ctx.methods.map(dq).join(', ')})`,
    ctx.headers.length > 0 ? `.WithHeaders(${ctx.headers.map(dq).join(', ')})` : '',
    ctx.credentials ? '.AllowCredentials()' : '',
  ].filter(Boolean);
  policy[policy.length - 1] += ';';
  policy.splice(policy.length - 1, 0, ...optionalCredentials(ctx, '//', '', '.AllowCredentials()'));
  const code = [
    '// Program.cs',
    'var builder = WebApplication.CreateBuilder(args);',
    '',
    'const string FrontendCors = "Frontend";',
    'builder.Services.AddCors(options =>',
    '{',
    '    // Every origin your frontend is served from (no trailing slash); extend the list.',
    '    options.AddPolicy(FrontendCors, policy =>',
    '    {',
    ...policy.map((p, i) => (i === 0 ? `        ${p}` : `              ${p}`)),
    '    });',
    '});',
    'builder.Services.AddControllers();',
    '',
    'var app = builder.Build();',
    '',
    'app.UseRouting();',
    '// After UseRouting, before UseAuthentication/UseAuthorization and the endpoints.',
    'app.UseCors(FrontendCors);',
    'app.UseAuthentication();',
    'app.UseAuthorization();',
    'app.MapControllers();',
    '',
    'app.Run();',
    '',
  ].join('\n');
  const notes: string[] = [];
  if (ctx.plan.handlePreflight || ctx.plan.errorResponses) {
    notes.push(
      'Order matters: UseCors must come after UseRouting and before UseAuthentication, UseAuthorization and MapControllers, or preflights reach authorization (401) and responses leave without CORS headers.',
    );
  }
  if (ctx.credentials) {
    notes.push(
      'AllowAnyOrigin() cannot be combined with AllowCredentials(); keep WithOrigins with the exact origins.',
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'Unhandled exceptions: the developer exception page and UseExceptionHandler clear the response headers, so 500s lose the CORS headers. Catch the error or return ProblemDetails from the endpoint so the page can read it.',
    );
  }
  if (ctx.plan.avoidRedirect) {
    notes.push(
      'UseHttpsRedirection (and HSTS) redirects http:// calls, and a preflight cannot follow a redirect: call the https:// URL directly.',
    );
  }
  return { code, notes };
}
