// Our service behind Hive Gateway (@graphql-hive/gateway-runtime's
// createGatewayRuntime on a loopback node:http server), with a second
// subgraph, the supergraph composed by @theguild/federation-composition: the
// same tests as behind Apollo Gateway (lib/gateway-scenarios.mjs), with the
// README's propagateHeaders recipe.
//
// What each gateway keeps of our errors (both with their defaults; Apollo
// Gateway without stack traces, as in production). These are asserted in
// lib/gateway-scenarios.mjs, so a change in a gateway is noticed:
//
// | our error                                | Apollo Gateway 2.14.4        | Hive Gateway runtime 2.12.1          |
// |------------------------------------------|------------------------------|--------------------------------------|
// | extensions.code                          | kept                         | kept                                 |
// | extensions.upstream {status, errors}     | kept                         | kept                                 |
// | extensions.retryAfter (RATE_LIMITED)     | kept                         | kept                                 |
// | extensions.cost, maxCost,                | kept                         | kept                                 |
// |   representations, representationsThatFit|                              |                                      |
// | message                                  | ours, unchanged              | ours, unchanged (subgraph errors are |
// |                                          |                              |   not masked by default)             |
// | added by the gateway                     | serviceName: "logs"          | serviceName: "logs"                  |
// | path of an entity's error                | ["topGateways", 1, "logs"]:  | ["topGateways", "logs"]: the list    |
// |   (our ["_entities", 1, "logs"])         |   the list index kept        |   index dropped; when several fail,  |
// |                                          |                              |   which one is lost                  |
// | an error of the whole subgraph operation | once, with no path           | once per field of the fetch (each    |
// |   (no path: QUERY_TOO_EXPENSIVE)         |                              |   entity, each root field), with its |
// |                                          |                              |   path                               |
//
// Run: cd e2e && npm ci && node --test federation-hive.test.mjs

import http from 'node:http';
import { before, after } from 'node:test';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { START_TIMEOUT_MS } from './lib/server.mjs';
import { composeBoth, errorLines } from './lib/federation.mjs';
import { startStack } from './lib/gateway-stack.mjs';
import { registerGatewayScenarios } from './lib/gateway-scenarios.mjs';

// The README's recipe: the caller's Authorization goes to the subgraph
// named "logs", and to no other.
const RECIPE = {
  propagateHeaders: {
    fromClientToSubgraphs({ request, subgraphName }) {
      if (subgraphName !== 'logs') return;
      const authorization = request.headers.get('authorization');
      return authorization ? { authorization } : undefined;
    },
  },
};

// Serves a Hive Gateway runtime on a loopback port; resolves with
// { url, stop() }.
async function serve(supergraph, extra = {}) {
  const gateway = createGatewayRuntime({ supergraph, logging: false, ...extra });
  const server = http.createServer(gateway);
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
  } catch (err) {
    await gateway.dispose();
    throw err;
  }
  const stop = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await gateway.dispose();
  };
  return { url: `http://127.0.0.1:${server.address().port}/graphql`, stop };
}

function supergraph(services) {
  const { guild } = composeBoth(services);
  if (guild.errors) throw new Error(`composition failed:\n${errorLines(guild).join('\n')}`);
  return guild.supergraphSdl;
}

const ctx = {};

before(async () => {
  ctx.stack = await startStack();
  const secured = supergraph(ctx.stack.services(`${ctx.stack.secured.baseURL}/query`));
  const limited = supergraph(ctx.stack.services(`${ctx.stack.limited.baseURL}/query`));
  ctx.recipe = await serve(secured, RECIPE);
  ctx.plain = await serve(secured);
  ctx.limited = await serve(limited);
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  for (const gw of [ctx.recipe, ctx.plain, ctx.limited]) await gw?.stop().catch((err) => console.error('gateway stop:', err));
  await ctx.stack?.stop();
});

registerGatewayScenarios(ctx, {
  // Hive Gateway names the subgraph in every error it passes on.
  added: { serviceName: 'logs' },
  // The path of an entity's error loses its list index.
  entityErrorPath: () => ['topGateways', 'logs'],
  // An error of the whole subgraph operation (no path) is repeated for
  // each field of the fetch (each entity, or each root field), with its path.
  pathlessErrorPaths: (fieldPaths) => fieldPaths,
});
