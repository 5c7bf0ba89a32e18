/**
 * `cors-lens mcp`: the command line's verdicts for coding agents, as a Model Context Protocol server on
 * stdio (@modelcontextprotocol/sdk). Four tools, each a thin wrapper over the command it mirrors
 * (mcp-tools.ts); stdout is the protocol channel, so nothing else is written there.
 *
 * Bundled apart from the rest of the command line (dist/cli/mcp.js, loaded on `cors-lens mcp` only),
 * so that the SDK does not slow down the start of `check`.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { BROWSER_NAMES, labelOf, orList } from './browser';
import { callTool, TOOLS } from './mcp-tools';
import { err } from './output';
import { VERSION } from './version';

const INSTRUCTIONS = `CORS Lens explains CORS failures with the browser's own rules (the Fetch standard, ${orList(BROWSER_NAMES.map((b) => `${labelOf(b)}'s`))} order and error names) and says what to change on the server.
- The page already made the call (you have its request and response headers, e.g. from the browser's DevTools or a network log): cors_explain. It sends nothing.
- To test an endpoint: cors_check sends what the browser sends (the preflight, then the request).
- To find whether the server's origin check can be fooled: cors_probe (at most ten GETs to the one URL).
- A HAR file exported from DevTools: cors_explain_har.
Never suggest Access-Control-Allow-Origin: * for a call with credentials; follow the fix each tool gives.`;

/** Serves until the client closes stdin. Arguments are checked by the caller (commands.ts). */
export async function runMcp(): Promise<number> {
  const mcp = new McpServer(
    { name: 'cors-lens', title: 'CORS Lens', version: VERSION },
    { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
  );
  // The tools are declared with their JSON Schemas as written (mcp-tools.ts), so the low-level handlers.
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS }));
  mcp.server.setRequestHandler(CallToolRequestSchema, (req) =>
    callTool(req.params.name, req.params.arguments ?? {}),
  );
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    mcp.server.onclose = resolve;
    // The client went away: stdin ends, and the server with it.
    process.stdin.once('end', resolve);
  });
  await mcp.connect(transport);
  if (process.stdin.isTTY)
    err.write(
      'cors-lens mcp: an MCP server, waiting for a client on stdin (configure it in your agent; Ctrl+C quits)\n',
    );
  await closed;
  await mcp.close();
  return 0;
}
