/**
 * The server stacks CORS Lens writes recipes for and detects from responses: a closed set, so a
 * detection rule, a recipe or a stored preference that names another stack does not compile.
 * The order is the fixed recipe order (fix/index.ts) used after the detected or picked stack.
 */
export const STACK_IDS = [
  'express',
  'fastify',
  'koa',
  'nestjs',
  'django',
  'flask',
  'fastapi',
  'spring',
  'aspnet',
  'go',
  'nginx',
  'apache',
  'caddy',
  'aws-apigateway',
  'aws-s3',
  'cloudflare-workers',
] as const;

export type StackId = (typeof STACK_IDS)[number];

const IDS: ReadonlySet<string> = new Set(STACK_IDS);

/** Whether a string (a command-line option, a stored preference) names a supported stack. */
export function isStackId(id: string | undefined): id is StackId {
  return id !== undefined && IDS.has(id);
}
