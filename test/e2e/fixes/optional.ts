/**
 * The optional recipe servers of the browser proof (test/e2e/fixes*.spec.ts): what each group needs,
 * whether it is here, and the command that enables it. A run without them skips those proofs and says
 * so at the end, one line per skipped group (test/e2e/global-teardown.ts).
 */
import { tool } from '../../engine/fix/tools';
import { missingGo, missingNest, missingPython } from './stacks';

export interface OptionalGroup {
  /** What is proven, e.g. "nginx recipes in Chromium". */
  what: string;
  spec: string;
  /** Why it cannot run here, or undefined when it can. */
  missing: () => string | undefined;
  /** The command that makes it run. */
  enable: string;
}

const server = (name: 'nginx' | 'apache2' | 'caddy') => () =>
  tool(name) ? undefined : `${name} not found on PATH or in the usual places`;

export const OPTIONAL_GROUPS: readonly OptionalGroup[] = [
  {
    what: 'nginx recipes',
    spec: 'fixes.spec.ts',
    missing: server('nginx'),
    enable: 'sudo apt-get install nginx',
  },
  {
    what: 'Apache recipes',
    spec: 'fixes.spec.ts',
    missing: server('apache2'),
    enable: 'sudo apt-get install apache2',
  },
  {
    what: 'Caddy recipes',
    spec: 'fixes.spec.ts',
    missing: server('caddy'),
    enable: 'sudo apt-get install caddy',
  },
  {
    what: 'Go (rs/cors) recipes',
    spec: 'fixes-stacks.spec.ts',
    missing: missingGo,
    enable: 'sudo apt-get install golang-go golang-github-rs-cors-dev',
  },
  {
    what: 'Flask recipes',
    spec: 'fixes-stacks.spec.ts',
    missing: () => missingPython('flask'),
    enable: 'sudo apt-get install python3-flask python3-flask-cors',
  },
  {
    what: 'Django recipes',
    spec: 'fixes-stacks.spec.ts',
    missing: () => missingPython('django'),
    enable: 'sudo apt-get install python3-django python3-django-cors-headers',
  },
  {
    what: 'FastAPI recipes',
    spec: 'fixes-stacks.spec.ts',
    missing: () => missingPython('fastapi'),
    enable: 'sudo apt-get install python3-fastapi python3-uvicorn',
  },
  { what: 'NestJS recipes', spec: 'fixes-stacks.spec.ts', missing: missingNest, enable: 'npm ci' },
];

/** One line per group that cannot run here: what was skipped, why, and the command that enables it. */
export function skippedLines(groups: readonly OptionalGroup[] = OPTIONAL_GROUPS): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const why = g.missing();
    if (why === undefined) continue;
    const reason = why.split(' (')[0]!.split(':')[0]!;
    out.push(`SKIPPED ${g.what} in Chromium (${g.spec}): ${reason}. Enable: ${g.enable}`);
  }
  return out;
}
