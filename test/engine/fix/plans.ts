/** Fix plans for the recipe tests: the article's five mistakes by name, and a fast-check generator. */
import fc from 'fast-check';
import type { FixPlan } from '../../../src/engine/types';

const base = {
  apiOrigin: 'https://api.example.com',
  path: '/api/data',
  handlePreflight: false,
  errorResponses: false,
};

/** The five mistakes users try first (the seed article), as the engine would plan their fix. */
export const NAMED: Record<string, FixPlan> = {
  'wildcard with credentials': {
    ...base,
    origin: 'https://app.example.com',
    credentials: true,
    methods: [],
    headers: [],
  },
  'missing Allow-Credentials': {
    ...base,
    origin: 'https://app.example.com',
    credentials: true,
    methods: [],
    headers: [],
  },
  'unhandled OPTIONS (PUT with JSON)': {
    ...base,
    origin: 'https://app.example.com',
    credentials: false,
    // Credentials not observable and no cookie signs: the recipes offer the line as an option.
    credentialsOptional: true,
    methods: ['PUT'],
    headers: ['content-type'],
    handlePreflight: true,
  },
  'Authorization not allowed': {
    ...base,
    origin: 'https://app.example.com',
    credentials: false,
    methods: [],
    headers: ['authorization'],
    handlePreflight: true,
  },
  'hard-coded localhost': {
    ...base,
    origin: 'https://app.example.com',
    credentials: true,
    methods: ['DELETE'],
    headers: ['authorization', 'content-type'],
    alsoAllow: ['http://localhost:3000'],
  },
  'error responses, redirect and duplicate header': {
    ...base,
    origin: 'http://127.0.0.1:5173',
    credentials: true,
    methods: ['PATCH', 'patch'],
    headers: ['x-requested-with', 'x-csrftoken', 'x-api-key'],
    handlePreflight: true,
    errorResponses: true,
    avoidRedirect: { from: 'http://api.example.com/api/data', to: 'https://api.example.com/api/data/' },
    remove: [{ name: 'Access-Control-Allow-Origin', value: '*', why: 'The proxy adds a second value.' }],
    note: 'The API answers 502: fix the upstream first.',
  },
  'null origin': {
    ...base,
    origin: 'null',
    credentials: false,
    methods: [],
    headers: [],
  },
};

/** Strings that must never reach generated code: quotes, newlines, shell and config metacharacters. */
export const HOSTILE = [
  "x'); process.exit(1); ('",
  'x"\n}\nserver {',
  'x-$host',
  'a b',
  'x;rm -rf /',
  '{{evil}}',
  'x`y`',
  '*',
  'null',
  'https://app.example.com/',
  'https://app.example.com"',
  'HTTPS://APP.EXAMPLE.COM',
];

const hostname = fc.oneof(
  fc.domain(),
  fc.constantFrom('localhost', '127.0.0.1', '[::1]', 'app.example.com', 'xn--bcher-kva.example'),
);
const origin = fc
  .tuple(
    fc.constantFrom('http', 'https'),
    hostname,
    fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
  )
  .map(([scheme, host, port]) => `${scheme}://${host}${port === undefined ? '' : `:${port}`}`);

const method = fc.oneof(
  fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'patch', 'PROPFIND', 'PURGE'),
  fc.constantFrom(...HOSTILE),
);
const header = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('authorization', 'content-type', 'x-api-key', 'x-csrftoken', 'accept'),
  },
  { weight: 2, arbitrary: fc.stringMatching(/^x-[a-z0-9]{1,10}(-[a-z0-9]{1,6})?$/) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) },
);
const path = fc.oneof(
  fc.constantFrom('/', '/api/data', '/v1/users/42', '/graphql', '/api/items?x=1', '/a.b/c'),
  fc.webPath(),
);

export const planArb: fc.Arbitrary<FixPlan> = fc.record(
  {
    origin: fc.oneof({ weight: 8, arbitrary: origin }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) }),
    credentials: fc.boolean(),
    credentialsOptional: fc.boolean(),
    methods: fc.uniqueArray(method, { maxLength: 4 }),
    headers: fc.uniqueArray(header, { maxLength: 5 }),
    handlePreflight: fc.boolean(),
    errorResponses: fc.boolean(),
    avoidRedirect: fc.option(fc.record({ from: fc.webUrl(), to: fc.webUrl() }), { nil: undefined }),
    remove: fc.option(
      fc.array(
        fc.record({
          name: fc.constantFrom(
            'Access-Control-Allow-Origin',
            'Access-Control-Allow-Credentials',
            'X-Frame-Options',
          ),
          value: fc.constantFrom('*', 'true, true', 'https://a.example, https://b.example'),
          why: fc.constant('A second layer adds it.'),
        }),
        { maxLength: 2 },
      ),
      { nil: undefined },
    ),
    path,
    apiOrigin: fc.oneof(origin, fc.constant('null')),
    alsoAllow: fc.option(fc.array(fc.oneof(origin, fc.constantFrom(...HOSTILE)), { maxLength: 3 }), {
      nil: undefined,
    }),
    note: fc.option(fc.constant('Fix the 500 first.'), { nil: undefined }),
  },
  {
    requiredKeys: [
      'origin',
      'credentials',
      'methods',
      'headers',
      'handlePreflight',
      'errorResponses',
      'path',
      'apiOrigin',
    ],
  },
);

/** A fixed, reproducible sample of generated plans plus the named ones (for the slower external parsers). */
export function samplePlans(count: number): { name: string; plan: FixPlan }[] {
  const generated = fc.sample(planArb, { numRuns: count, seed: 20240605 });
  return [
    ...Object.entries(NAMED).map(([name, plan]) => ({ name, plan })),
    ...generated.map((plan, i) => ({ name: `generated #${i}`, plan })),
  ];
}
