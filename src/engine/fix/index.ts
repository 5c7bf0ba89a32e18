/**
 * Fix recipes: turn a {@link FixPlan} into ready-to-paste configuration for the developer's own
 * server stack, most likely stack first. Pure: no browser globals, no I/O.
 */
import type { Exchange, FixPlan, HeaderList, Recipe } from '../types';
import { commonNotes, contextOf, scopeOf, type Ctx } from './common';
import { detectStacks, type ResponseSignal, type StackGuess } from './detect';
import { isStackId, type StackId } from './stack-id';

export { STACK_IDS, isStackId, type StackId } from './stack-id';
import { apiGateway, s3 } from './stacks/aws';
import { goRsCors } from './stacks/go';
import { aspnet, spring } from './stacks/jvm';
import { cloudflareWorkers, express, fastify, koa, nestjs } from './stacks/node';
import { django, fastapi, flask } from './stacks/python';
import { apache, caddy, nginx } from './stacks/servers';

export {
  detectStack,
  detectStacks,
  type ResponseSignal,
  type StackGuess,
  type StackConfidence,
} from './detect';

interface StackDef {
  id: StackId;
  label: string;
  language: string;
  build: (ctx: Ctx) => { code: string; notes: string[] };
}

/** In the fixed order used after the detected or picked stack. */
const DEFS: StackDef[] = [
  { id: 'express', label: 'Express (cors package)', language: 'js', build: express },
  { id: 'fastify', label: 'Fastify (@fastify/cors)', language: 'js', build: fastify },
  { id: 'koa', label: 'Koa (@koa/cors)', language: 'js', build: koa },
  { id: 'nestjs', label: 'NestJS (app.enableCors)', language: 'ts', build: nestjs },
  { id: 'django', label: 'Django (django-cors-headers)', language: 'python', build: django },
  { id: 'flask', label: 'Flask (Flask-CORS)', language: 'python', build: flask },
  { id: 'fastapi', label: 'FastAPI / Starlette (CORSMiddleware)', language: 'python', build: fastapi },
  { id: 'spring', label: 'Spring MVC (CorsRegistry / @CrossOrigin)', language: 'java', build: spring },
  { id: 'aspnet', label: 'ASP.NET Core (AddCors / UseCors)', language: 'csharp', build: aspnet },
  { id: 'go', label: 'Go (rs/cors)', language: 'go', build: goRsCors },
  { id: 'nginx', label: 'nginx', language: 'nginx', build: nginx },
  { id: 'apache', label: 'Apache httpd (mod_headers)', language: 'apache', build: apache },
  { id: 'caddy', label: 'Caddy', language: 'caddyfile', build: caddy },
  { id: 'aws-apigateway', label: 'AWS API Gateway (HTTP API)', language: 'shell', build: apiGateway },
  { id: 'aws-s3', label: 'Amazon S3 (bucket CORS)', language: 'json', build: s3 },
  { id: 'cloudflare-workers', label: 'Cloudflare Workers', language: 'js', build: cloudflareWorkers },
];

/** Every supported stack, for a picker. */
export const STACKS: readonly { id: StackId; label: string }[] = DEFS.map(({ id, label }) => ({ id, label }));

export function isStack(id: string | undefined): id is StackId {
  return isStackId(id);
}

/**
 * The stack the user picked for this API origin, if they picked a known one. `prefs` maps an API
 * origin to a stack id (the panel stores it).
 */
export function preferredStack(
  apiOrigin: string,
  prefs: Readonly<Record<string, string>>,
): StackId | undefined {
  const pick = Object.prototype.hasOwnProperty.call(prefs, apiOrigin) ? prefs[apiOrigin] : undefined;
  return isStack(pick) ? pick : undefined;
}

/**
 * The response headers of an exchange that give its server stack away: each leg's response, then its
 * preflight's. The one source for {@link RecipeOptions.responseHeaders} (verdict and panel alike).
 */
export function responseHeadersOf(ex: Exchange): ResponseSignal[] {
  const out: ResponseSignal[] = [];
  for (const l of ex.legs) {
    for (const r of [l.response, l.preflight?.response])
      if (r !== undefined) out.push({ statusCode: r.statusCode, headers: r.headers });
  }
  return out;
}

export interface RecipeOptions {
  /** The stack the user picked; wins over detection. Unknown ids are ignored. */
  stack?: string;
  /** Responses of the exchange (preflight and actual), for {@link detectStack}. */
  responseHeaders?: readonly (HeaderList | ResponseSignal)[];
  /** What {@link detectStacks} found in `responseHeaders`, when the caller has it already. */
  detected?: readonly StackGuess[];
  /**
   * Only the picked or detected stacks plus Express and nginx (what a verdict carries by default, so
   * that evaluating a call stays cheap); the panel asks for the full list when it shows the fix.
   */
  primary?: boolean;
}

/** The stacks a verdict always carries a recipe for. */
export const PRIMARY_STACKS: readonly StackId[] = ['express', 'nginx'];

/** The recipes built for one plan, by stack id, with the notes every stack shares. */
interface PlanRecipes {
  ctx: Ctx;
  shared: string[];
  byStack: Map<string, Recipe>;
}

const MEMO_LIMIT = 64;
const memo = new Map<string, PlanRecipes>();

/**
 * What a recipe is built from: the plan, with its path reduced to the scope the recipes use
 * ({@link contextOf}), so that calls to the same API share their recipes (a HAR has thousands).
 */
function planKey(plan: FixPlan): string {
  return JSON.stringify({ ...plan, path: scopeOf(plan.path) });
}

function planRecipes(plan: FixPlan): PlanRecipes {
  const key = planKey(plan);
  const hit = memo.get(key);
  if (hit) return hit;
  if (memo.size >= MEMO_LIMIT) memo.clear();
  const ctx = contextOf(plan);
  const made: PlanRecipes = { ctx, shared: commonNotes(ctx), byStack: new Map() };
  memo.set(key, made);
  return made;
}

/**
 * One recipe per supported stack: the picked stack, then detected stacks, then the fixed order.
 * Recipes are shared between calls with the same plan (see {@link planKey}) and frozen.
 */
export function recipesFor(plan: FixPlan, opts: RecipeOptions = {}): Recipe[] {
  const made = planRecipes(plan);
  const first = [
    ...(isStack(opts.stack) ? [opts.stack] : []),
    ...(opts.detected ?? detectStacks(opts.responseHeaders ?? [])).map((g) => g.stack),
  ];
  const rest = opts.primary ? PRIMARY_STACKS : DEFS.map((d) => d.id);
  const order = [...new Set([...first, ...rest])];
  return order.map((id) => {
    const cached = made.byStack.get(id);
    if (cached) return cached;
    const def = DEFS.find((d) => d.id === id)!;
    const { code, notes } = def.build(made.ctx);
    const recipe: Recipe = {
      stack: def.id,
      label: def.label,
      language: def.language,
      code,
      notes: Object.freeze([...made.shared, ...notes]) as string[],
    };
    made.byStack.set(id, Object.freeze(recipe));
    return recipe;
  });
}

/** The notes every stack's recipe for this plan starts with (for output that shows no recipe). */
export function sharedNotes(plan: FixPlan): readonly string[] {
  return planRecipes(plan).shared;
}
