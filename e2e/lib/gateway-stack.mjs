// The subgraphs behind the gateway tests (federation-apollo-gateway and
// federation-hive), started alike for each gateway:
//
// - "limited": our service in -demo mode with a rate budget of one upstream
//   call an hour and at most 2 upstream calls per operation, so that
//   RATE_LIMITED (retryAfter) and QUERY_TOO_EXPENSIVE (cost) can be had on
//   demand. Its simulated upstream serves the other one too.
// - "secured": our service without -demo and without a server token, on the
//   limited one's simulated upstream: every field needs the caller's
//   `Authorization: Bearer <token>`; the simulator accepts DEMO_TOKEN.
// - "owners": a second subgraph (@apollo/subgraph) that adds `owner` to the
//   AIGateway entity and a root field `topGateways` that returns AIGateway
//   references. It records the headers of every request it gets.

import assert from 'node:assert/strict';
import { startServer } from './server.mjs';
import { fetchSDL, plain, postRaw, startSubgraph } from './federation.mjs';

// The Bearer token the simulated upstream accepts (cfsim.DemoToken).
export const DEMO_TOKEN = 'cfsim-demo-token';
export const BEARER = `Bearer ${DEMO_TOKEN}`;

export const OWNERS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

"A gateway of the logs subgraph, extended with the team that runs it."
type AIGateway @key(fields: "accountId gatewayId") {
  accountId: ID!
  gatewayId: ID!
  owner: String!
}

type Query {
  "References to the gateways of these ids, in this order, for the logs subgraph to resolve."
  topGateways(gatewayIds: [ID!]!): [AIGateway!]!
}
`;

export const OWNERS = { 'prod-chat': 'team-chat', staging: 'team-platform', 'batch-jobs': 'team-data' };

/**
 * Starts limited, secured and owners. Resolves with
 *   { limited, secured, owners, accountId, sdl, services(logsURL), stop() }
 * where services(logsURL) lists the two subgraphs ({ name, typeDefs, url })
 * for a composer, with our service at logsURL under the name "logs".
 */
export async function startStack() {
  const started = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch((err) => console.error('stop:', err));
  };
  try {
    const limited = await startServer({ args: ['-rate-limit', '1', '-rate-window', '1h', '-max-upstream-calls', '2'] });
    started.push(limited);
    assert.ok(limited.demoUpstream, `the demo server logs its upstream:\n${limited.log()}`);
    const { body } = await postRaw(`${limited.baseURL}/query`, '{ gateway(gatewayId: "prod-chat") { accountId } }');
    const accountId = body.data?.gateway?.accountId;
    assert.ok(accountId, JSON.stringify(body));
    const secured = await startServer({
      demo: false,
      args: ['-cloudflare-api-base-url', limited.demoUpstream, '-cloudflare-account-id', accountId],
      env: { CLOUDFLARE_API_TOKEN: '' },
    });
    started.push(secured);
    const owners = await startSubgraph({
      typeDefs: OWNERS_SDL,
      resolvers: {
        Query: { topGateways: (_, { gatewayIds }) => gatewayIds.map((gatewayId) => ({ accountId, gatewayId })) },
        AIGateway: {
          __resolveReference: (ref) => ({ ...plain(ref), owner: OWNERS[ref.gatewayId] ?? 'unassigned' }),
          owner: (g) => g.owner ?? OWNERS[g.gatewayId] ?? 'unassigned',
        },
      },
    });
    started.push(owners);
    const sdl = await fetchSDL(secured.baseURL);
    const services = (logsURL) => [
      { name: 'logs', typeDefs: sdl, url: logsURL },
      { name: 'owners', typeDefs: OWNERS_SDL, url: owners.url },
    ];
    return { limited, secured, owners, accountId, sdl, services, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Asks our secured service directly, with the demo token; fails on errors.
 */
export async function securedDirect(stack, query, variables = {}) {
  const { body } = await postRaw(`${stack.secured.baseURL}/query`, query, variables, { authorization: BEARER });
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/**
 * Spends the limited service's one upstream call of the hour, so that its
 * next upstream call is refused RATE_LIMITED. Resolves with what it answered.
 */
export async function spendRateBudget(stack) {
  const q = '{ gateway(gatewayId: "prod-chat") { logs(first: 1) { totalCount } } }';
  const first = await postRaw(`${stack.limited.baseURL}/query`, q);
  const second = await postRaw(`${stack.limited.baseURL}/query`, q);
  assert.equal(second.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED', JSON.stringify(second.body));
  return { first: first.body, second: second.body };
}
