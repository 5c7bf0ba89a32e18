/** Recipes for AWS API Gateway (HTTP API) and Amazon S3. */
import type { Ctx } from '../common';

/** The JSON document between the heredoc markers in the API Gateway recipe. */
export const APIGW_JSON_START = "cat > cors.json <<'EOF'";
export const APIGW_JSON_END = 'EOF';

const S3_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'];

export function apiGateway(ctx: Ctx): { code: string; notes: string[] } {
  const config: Record<string, unknown> = {
    AllowOrigins: ctx.origins,
    AllowMethods: ctx.methods,
  };
  if (ctx.headers.length > 0) config.AllowHeaders = ctx.headersLower;
  if (ctx.credentials) config.AllowCredentials = true;
  const code = [
    '# HTTP API: API Gateway answers preflights itself and adds the headers to every response.',
    '# Every origin your frontend is served from: extend AllowOrigins (production, staging, local dev).',
    APIGW_JSON_START,
    JSON.stringify(config, null, 2),
    APIGW_JSON_END,
    'aws apigatewayv2 update-api --api-id YOUR_API_ID --cors-configuration file://cors.json',
    '',
  ].join('\n');
  const notes: string[] = [
    'Once the HTTP API has a CORS configuration, API Gateway answers OPTIONS itself and ignores (replaces) the CORS headers your backend sends: configure CORS in one place only, and remove it from the Lambda/backend.',
    'In an OpenAPI definition the same settings go under x-amazon-apigateway-cors with camelCase keys (allowOrigins, allowMethods, allowHeaders, allowCredentials).',
  ];
  if (ctx.credentialsOptional) {
    notes.push(
      'Optional (credentials): add "AllowCredentials": true to the configuration when the frontend sends cookies or HTTP authentication.',
    );
  }
  if (ctx.plan.handlePreflight) {
    notes.push(
      'If a route for OPTIONS /{proxy+} or ANY with an authorizer exists, the preflight goes to it and fails with 401: with CORS configured, do not define OPTIONS routes yourself.',
    );
  }
  return { code, notes };
}

export function s3(ctx: Ctx): { code: string; notes: string[] } {
  const methods = ctx.methods.filter((m) => S3_METHODS.includes(m));
  const rule: Record<string, unknown> = {
    AllowedOrigins: ctx.origins,
    AllowedMethods: methods,
  };
  if (ctx.headers.length > 0) rule.AllowedHeaders = ctx.headersLower;
  const code = JSON.stringify({ CORSRules: [rule] }, null, 2) + '\n';
  const notes: string[] = [
    'Apply with: aws s3api put-bucket-cors --bucket YOUR_BUCKET --cors-configuration file://cors.json. The S3 console editor takes only the array inside "CORSRules".',
    'Extend AllowedOrigins with every origin your frontend is served from. S3 has no credentials switch: with an exact origin it can serve credentialed requests, with "*" it cannot.',
  ];
  const unsupported = ctx.methods.filter((m) => !S3_METHODS.includes(m));
  if (unsupported.length > 0) {
    notes.push(
      `S3 CORS rules accept only GET, PUT, HEAD, POST and DELETE; ${unsupported.join(', ')} cannot be allowed.`,
    );
  }
  if (ctx.plan.errorResponses) {
    notes.push(
      'A 403 from S3 (AccessDenied, expired presigned URL) is the real problem: fix the bucket policy or the URL first; CORS rules cannot make a denied request succeed.',
    );
  }
  return { code, notes };
}
