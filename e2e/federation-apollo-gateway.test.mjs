// Our service behind Apollo Gateway (@apollo/gateway on @apollo/server),
// with a second subgraph, the supergraph composed by @apollo/composition:
// the join both ways round, the next page, a filter, NOT_FOUND, the caller's
// token forwarded to our subgraph only by the README's recipe, and what the
// gateway keeps of our error extensions (the table is at the top of
// federation-hive.test.mjs). The subgraphs: lib/gateway-stack.mjs; the
// tests: lib/gateway-scenarios.mjs.
//
// Three gateways run: "recipe" and "plain" over the service that needs the
// caller's token (with and without the recipe), and "limited" over the
// service whose rate budget and cost limit are tiny. The gateway runs as in
// production: no stack traces in errors.
//
// Run: cd e2e && npm ci && node --test federation-apollo-gateway.test.mjs

import { before, after } from 'node:test';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { START_TIMEOUT_MS } from './lib/server.mjs';
import { composeBoth, errorLines, quiet } from './lib/federation.mjs';
import { startStack } from './lib/gateway-stack.mjs';
import { registerGatewayScenarios } from './lib/gateway-scenarios.mjs';

// The README's recipe: the caller's Authorization goes to the subgraph
// named "logs", and to no other.
function withRecipe(supergraphSdl) {
  return new ApolloGateway({
    supergraphSdl,
    logger: quiet,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request, context }) {
          if (name === 'logs' && context.authorization) request.http.headers.set('authorization', context.authorization);
        },
      }),
  });
}

// Apollo Gateway as it comes: no header reaches a subgraph.
const withoutRecipe = (supergraphSdl) => new ApolloGateway({ supergraphSdl, logger: quiet });

async function serve(gateway) {
  const server = new ApolloServer({ gateway, logger: quiet, includeStacktraceInErrorResponses: false });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  return { url, stop: () => server.stop() };
}

function supergraph(services) {
  const { apollo } = composeBoth(services);
  if (apollo.errors) throw new Error(`composition failed:\n${errorLines(apollo).join('\n')}`);
  return apollo.supergraphSdl;
}

const ctx = {};

before(async () => {
  ctx.stack = await startStack();
  const secured = supergraph(ctx.stack.services(`${ctx.stack.secured.baseURL}/query`));
  const limited = supergraph(ctx.stack.services(`${ctx.stack.limited.baseURL}/query`));
  ctx.recipe = await serve(withRecipe(secured));
  ctx.plain = await serve(withoutRecipe(secured));
  ctx.limited = await serve(withoutRecipe(limited));
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  for (const gw of [ctx.recipe, ctx.plain, ctx.limited]) await gw?.stop().catch((err) => console.error('gateway stop:', err));
  await ctx.stack?.stop();
});

registerGatewayScenarios(ctx, {
  // Apollo Gateway names the subgraph in every error it passes on.
  added: { serviceName: 'logs' },
  // The path of an entity's error is mapped to the client's list, index kept.
  entityErrorPath: (i) => ['topGateways', i, 'logs'],
  // An error of the whole subgraph operation (no path) comes once, pathless.
  pathlessErrorPaths: () => [undefined],
});
