// End-to-end check that the service works as an Apollo Federation v2
// subgraph next to another subgraph, behind a real Apollo gateway:
//
// 1. builds and starts the Go server in -demo mode (lib/server.mjs) and
//    fetches its subgraph SDL through `{ _service { sdl } }`;
// 2. starts a second subgraph ("owners", @apollo/subgraph) on a loopback
//    port: it adds `owner` to the `AIGateway` entity, resolved from the key
//    (accountId gatewayId), and a root field `topGateways` that returns
//    AIGateway references;
// 3. composes both with @apollo/composition (composeServices) and runs
//    @apollo/gateway on the supergraph SDL behind @apollo/server
//    (startStandaloneServer), also on loopback;
// 4. sends queries through the gateway that join both subgraphs either way
//    round, pages a gateway's logs, and compares with what the service
//    answers directly. Each subgraph request the gateway makes is recorded,
//    so the test can tell which subgraph resolved what (and that our service
//    was reached through `_entities`).
//
// Run: cd e2e && npm ci && npm test

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Kind, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@apollo/composition';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { START_TIMEOUT_MS, postGraphQL, startServer } from './lib/server.mjs';
import { plain, quiet, startRecordingGateway } from './lib/federation.mjs';

const TEST_TIMEOUT_MS = 60_000;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

// The second subgraph. Key fields are shareable without @shareable in
// Federation 2, so it may declare accountId and gatewayId too.
const OWNERS_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

"A gateway of the facade subgraph, extended with who runs it."
type AIGateway @key(fields: "accountId gatewayId") {
  accountId: ID!
  gatewayId: ID!
  "The team that owns the gateway."
  owner: String!
}

type Query {
  "The gateways this subgraph knows, as references for the facade to resolve."
  topGateways: [AIGateway!]!
}
`;

const OWNERS = { 'prod-chat': 'team-chat', staging: 'team-platform', 'batch-jobs': 'team-data' };
const TOP = ['prod-chat', 'staging', 'batch-jobs'];

let facade; // our service (lib/server.mjs)
let accountId; // the demo account, as the facade reports it
let sdl; // the facade's subgraph SDL
let owners; // { server, url }: the second subgraph
let composed; // composeServices' result
let gateway; // { server, url }: the Apollo gateway
const subgraphCalls = []; // { subgraph, query, variables } per request the gateway sends
const referencesSeen = []; // representations owners' __resolveReference got

async function startOwners() {
  const resolvers = {
    Query: {
      topGateways: () => TOP.map((gatewayId) => ({ accountId, gatewayId })),
    },
    AIGateway: {
      __resolveReference(ref) {
        referencesSeen.push(plain(ref));
        return { ...ref, owner: OWNERS[ref.gatewayId] ?? 'unassigned' };
      },
      owner: (g) => g.owner ?? OWNERS[g.gatewayId] ?? 'unassigned',
    },
  };
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(OWNERS_SDL), resolvers }), logger: quiet });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { server, url };
}

before(async () => {
  facade = await startServer();
  const { data } = await postGraphQL(`${facade.baseURL}/query`, '{ _service { sdl } gateway(gatewayId: "prod-chat") { accountId } }');
  sdl = data._service.sdl;
  accountId = data.gateway.accountId;
  owners = await startOwners();
  composed = composeServices([
    { name: 'logs', typeDefs: parse(sdl), url: `${facade.baseURL}/query` },
    { name: 'owners', typeDefs: parse(OWNERS_SDL), url: owners.url },
  ]);
  if (!composed.errors) gateway = await startRecordingGateway(composed.supergraphSdl, subgraphCalls);
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  // Each step on its own, so one failing stop does not leave the others running.
  await gateway?.server.stop().catch((err) => console.error('gateway stop:', err));
  await owners?.server.stop().catch((err) => console.error('owners stop:', err));
  await facade?.stop();
});

// Sends a query through the gateway; the calls it caused to the subgraphs
// come back with the data.
async function viaGateway(query, variables = {}) {
  assert.ok(gateway, `no gateway: composition failed: ${composed?.errors?.map((e) => e.message).join('\n')}`);
  const from = subgraphCalls.length;
  const { data } = await postGraphQL(gateway.url, query, variables);
  return { data, calls: subgraphCalls.slice(from) };
}

const direct = async (query, variables = {}) => (await postGraphQL(`${facade.baseURL}/query`, query, variables)).data;

// ---------------------------------------------------------------- tests

test('the service publishes a Federation v2 subgraph SDL with AIGateway as an entity', { timeout: TEST_TIMEOUT_MS }, () => {
  assert.match(sdl, /@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
  assert.match(sdl, /type AIGateway implements Node @key\(fields: "accountId gatewayId"\)/);
  assert.match(sdl, /type AIGatewayLog implements Node/);
  assert.equal(typeof accountId, 'string');
  assert.ok(accountId.length > 0);
});

test('composeServices composes the service with a second subgraph', { timeout: TEST_TIMEOUT_MS }, () => {
  assert.equal(composed.errors, undefined, `composition errors:\n${composed.errors?.map((e) => e.message).join('\n')}`);
  const supergraph = composed.supergraphSdl;
  assert.equal(typeof supergraph, 'string');
  assert.match(supergraph, /@link\(url: "https:\/\/specs\.apollo\.dev\/join\/v0\.\d+"/);
  assert.match(supergraph, /LOGS @join__graph\(name: "logs"/);
  assert.match(supergraph, /OWNERS @join__graph\(name: "owners"/);
  // AIGateway is an entity in both, keyed alike; each subgraph contributes fields.
  assert.match(supergraph, /type AIGateway implements Node\s[^{]*@join__type\(graph: LOGS, key: "accountId gatewayId"\)/);
  assert.match(supergraph, /@join__type\(graph: OWNERS, key: "accountId gatewayId"\)/);
  const graphs = joinGraphs(supergraph);
  assert.deepEqual(graphs('AIGateway', 'owner'), ['OWNERS']);
  assert.deepEqual(graphs('AIGateway', 'id'), ['LOGS']);
  assert.deepEqual(graphs('AIGateway', 'logs'), ['LOGS']);
  assert.deepEqual(graphs('AIGateway', 'log'), ['LOGS']);
  assert.deepEqual(graphs('Query', 'topGateways'), ['OWNERS']);
  assert.deepEqual(graphs('Query', 'gateway'), ['LOGS']);
  assert.deepEqual(graphs('Query', 'logs'), ['LOGS']);
});

// joinGraphs(supergraph)(type, field) lists the subgraphs that resolve a
// field, from its @join__field directives.
function joinGraphs(supergraph) {
  const doc = parse(supergraph);
  return (typeName, fieldName) => {
    const type = doc.definitions.find((d) => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === typeName);
    assert.ok(type, `supergraph has type ${typeName}`);
    const field = type.fields.find((f) => f.name.value === fieldName);
    assert.ok(field, `supergraph has ${typeName}.${fieldName}`);
    return field.directives
      .filter((d) => d.name.value === 'join__field')
      .map((d) => d.arguments.find((a) => a.name.value === 'graph')?.value.value);
  };
}

const PAGE_QUERY = `query GatewayPage($after: String) {
  gateway(gatewayId: "prod-chat") {
    accountId
    gatewayId
    owner
    logs(first: 3, after: $after) {
      edges { cursor node { logId provider } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;

// The same selection of our service alone.
const DIRECT_PAGE_QUERY = PAGE_QUERY.replace(/\n\s*owner\n/, '\n');

test('a query through the gateway joins both subgraphs and pages logs', { timeout: TEST_TIMEOUT_MS }, async () => {
  assert.ok(!DIRECT_PAGE_QUERY.includes('owner'));
  referencesSeen.length = 0;

  // Page 1. Its cursors carry the time of the request (the snapshot the walk
  // is pinned to) and new logs arrive every few seconds in the demo, so the
  // logs are compared and, should a log arrive in between, compared again.
  let page1;
  let directPage1;
  for (let attempt = 1; attempt <= 3; attempt++) {
    page1 = await viaGateway(PAGE_QUERY);
    directPage1 = await direct(DIRECT_PAGE_QUERY);
    const nodes = (d) => d.gateway.logs.edges.map((e) => e.node);
    if (JSON.stringify(nodes(page1.data)) === JSON.stringify(nodes(directPage1))) break;
  }
  const g1 = page1.data.gateway;
  assert.equal(g1.owner, 'team-chat', 'owner comes from the owners subgraph');
  assert.equal(g1.gatewayId, 'prod-chat');
  assert.equal(g1.accountId, accountId);
  assert.deepEqual(
    g1.logs.edges.map((e) => e.node),
    directPage1.gateway.logs.edges.map((e) => e.node),
    'page 1 has the logs the service returns directly',
  );
  assert.equal(g1.logs.edges.length, 3);
  for (const { cursor, node } of g1.logs.edges) {
    assert.match(node.logId, ULID);
    assert.equal(typeof node.provider, 'string');
    assert.ok(cursor.length > 0);
  }
  assert.equal(g1.logs.pageInfo.endCursor, g1.logs.edges.at(-1).cursor);
  assert.equal(g1.logs.pageInfo.hasNextPage, true);

  // The plan: root field and logs from our service, then owner from the
  // owners subgraph by the entity key.
  const logsCalls = page1.calls.filter((c) => c.subgraph === 'logs');
  const ownersCalls = page1.calls.filter((c) => c.subgraph === 'owners');
  assert.equal(logsCalls.length, 1, JSON.stringify(page1.calls));
  assert.match(logsCalls[0].query, /gateway\(gatewayId:/);
  assert.equal(ownersCalls.length, 1, JSON.stringify(page1.calls));
  assert.match(ownersCalls[0].query, /_entities\(representations:/);
  assert.deepEqual(ownersCalls[0].variables.representations, [{ __typename: 'AIGateway', accountId, gatewayId: 'prod-chat' }]);
  assert.deepEqual(referencesSeen.at(-1), { __typename: 'AIGateway', accountId, gatewayId: 'prod-chat' });

  // Page 2 from page 1's end cursor: the cursor pins the snapshot, so the
  // gateway's answer and the service's own are the same, cursors included.
  const after = g1.logs.pageInfo.endCursor;
  const page2 = await viaGateway(PAGE_QUERY, { after });
  const directPage2 = await direct(DIRECT_PAGE_QUERY, { after });
  const g2 = page2.data.gateway;
  assert.equal(g2.owner, 'team-chat');
  assert.deepEqual(g2.logs, directPage2.gateway.logs, 'page 2 is what the service returns directly');
  assert.equal(g2.logs.edges.length, 3);
  const firstIds = new Set(g1.logs.edges.map((e) => e.node.logId));
  for (const { node } of g2.logs.edges) {
    assert.ok(!firstIds.has(node.logId), `page 2 log ${node.logId} is not on page 1`);
  }
  assert.equal(page2.calls.find((c) => c.subgraph === 'logs')?.variables?.after, after, 'the cursor reached the service unchanged');
});

test('a query that starts in the other subgraph resolves our fields through _entities', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { data, calls } = await viaGateway(`{
    topGateways {
      gatewayId
      owner
      id
      accountId
      logs(first: 2) { totalCount nodes { logId gateway { gatewayId } } }
    }
  }`);
  assert.deepEqual(data.topGateways.map((g) => g.gatewayId), TOP);
  assert.deepEqual(data.topGateways.map((g) => g.owner), TOP.map((id) => OWNERS[id]));

  // Our service was asked for exactly these entities, in one _entities call.
  const logsCalls = calls.filter((c) => c.subgraph === 'logs');
  assert.equal(logsCalls.length, 1, JSON.stringify(calls));
  assert.match(logsCalls[0].query, /_entities\(representations:/);
  assert.deepEqual(
    logsCalls[0].variables.representations,
    TOP.map((gatewayId) => ({ __typename: 'AIGateway', accountId, gatewayId })),
  );
  assert.equal(calls.filter((c) => c.subgraph === 'owners').length, 1);

  for (const g of data.topGateways) {
    const own = await direct(`query($g: ID!) { gateway(gatewayId: $g) { id accountId } }`, { g: g.gatewayId });
    assert.equal(g.id, own.gateway.id, `${g.gatewayId}: global id as the service gives it`);
    assert.equal(g.accountId, accountId);
    assert.ok(g.logs.totalCount > 0, `${g.gatewayId} has logs`);
    assert.equal(g.logs.nodes.length, 2);
    for (const log of g.logs.nodes) {
      assert.match(log.logId, ULID);
      assert.equal(log.gateway.gatewayId, g.gatewayId);
    }
  }
});

test('the service resolves AIGateway references through _entities directly', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { data } = await postGraphQL(
    `${facade.baseURL}/query`,
    `query($r: [_Any!]!) { _entities(representations: $r) { ... on AIGateway { gatewayId accountId logs(first: 1) { nodes { logId } } } } }`,
    { r: [{ __typename: 'AIGateway', accountId, gatewayId: 'staging' }] },
  );
  assert.equal(data._entities.length, 1);
  assert.equal(data._entities[0].gatewayId, 'staging');
  assert.equal(data._entities[0].accountId, accountId);
  assert.match(data._entities[0].logs.nodes[0].logId, ULID);
});
