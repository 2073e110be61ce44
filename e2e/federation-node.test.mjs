// Relay node resolution in a supergraph where another subgraph owns it.
//
// A supergraph has one `Query.node`. Here a "directory" subgraph owns
// `interface Node`, `Query.node` and `Query.nodes` (it resolves its own
// users and knows which type each of our global ids belongs to), and our
// service runs with FEDERATION_NODE_FIELDS=false, which leaves node and nodes
// out of its subgraph SDL while AIGateway and AIGatewayLog stay entities
// keyed by their global `id`.
//
// 1. Both composers compose the two without an error; with node fields on
//    (a second instance, the default) both fail with INVALID_FIELD_SHARING
//    on Query.node and Query.nodes: the negative control.
// 2. `_entities` by global id, sent to our service directly, returns our
//    logs and gateways as `node` does, log lookups batched per gateway.
// 3. Through Apollo Gateway, the directory's node and nodes return our logs
//    and gateways: the directory answers `{ __typename, id }` and the gateway
//    fetches the fields from us through `_entities`.
//
// Run: cd e2e && npm ci && node --test federation-node.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { START_TIMEOUT_MS, startServer } from './lib/server.mjs';
import { composeBoth, errorCodes, errorLines, fetchSDL, postRaw, startRecordingGateway, startSubgraph } from './lib/federation.mjs';

const TEST_TIMEOUT_MS = 60_000;

// The node owner. It declares our entities by their global id only, and
// cannot resolve them (resolvable: false): it hands out references and the
// gateway asks our subgraph for the fields.
const DIRECTORY_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

"An object with a global id, fetchable through Query.node."
interface Node { id: ID! }

"A person of the company directory."
type User implements Node @key(fields: "id") {
  id: ID!
  name: String!
}

type AIGateway implements Node @key(fields: "id", resolvable: false) { id: ID! }
type AIGatewayLog implements Node @key(fields: "id", resolvable: false) { id: ID! }

type Query {
  node(id: ID!): Node
  nodes(ids: [ID!]!): [Node]!
}
`;

const USERS = { 'user:ada': 'Ada Lovelace', 'user:alan': 'Alan Turing' };

// Which of our global ids are of which type. A real node owner would tell
// from the id (a prefix, a lookup service); this one is told by the test,
// from what our service answered.
const knownIds = new Map();

function lookup(id) {
  if (id in USERS) return { __typename: 'User', id, name: USERS[id] };
  const typename = knownIds.get(id);
  return typename ? { __typename: typename, id } : null;
}

const DIRECTORY_RESOLVERS = {
  Query: {
    node: (_, { id }) => lookup(id),
    nodes: (_, { ids }) => ids.map(lookup),
  },
  Node: { __resolveType: (obj) => obj.__typename },
  User: { __resolveReference: (ref) => lookup(ref.id) },
};

let on; // our service with node fields (the default)
let off; // our service with FEDERATION_NODE_FIELDS=false
let sdlOn;
let sdlOff;
let directory; // the node-owning subgraph
let composed; // { apollo, guild } of off + directory
let gateway; // { server, url }
const subgraphCalls = []; // { subgraph, query, variables } per request the gateway sends

const ourServices = (ours) => [
  { name: 'logs', typeDefs: ours, url: `${off.baseURL}/query` },
  { name: 'directory', typeDefs: DIRECTORY_SDL, url: directory.url },
];

before(async () => {
  [on, off] = await Promise.all([startServer(), startServer({ env: { FEDERATION_NODE_FIELDS: 'false' } })]);
  [sdlOn, sdlOff] = await Promise.all([fetchSDL(on.baseURL), fetchSDL(off.baseURL)]);
  directory = await startSubgraph({ typeDefs: DIRECTORY_SDL, resolvers: DIRECTORY_RESOLVERS });
  composed = composeBoth(ourServices(sdlOff));
  if (!composed.apollo.errors) gateway = await startRecordingGateway(composed.apollo.supergraphSdl, subgraphCalls);
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await gateway?.server.stop().catch((err) => console.error('gateway stop:', err));
  await directory?.stop().catch((err) => console.error('directory stop:', err));
  await Promise.all([on?.stop(), off?.stop()]);
});

// direct asks our node-fields-off service; node and nodes still answer there.
async function direct(query, variables = {}) {
  const { body } = await postRaw(`${off.baseURL}/query`, query, variables);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

async function viaGateway(query, variables = {}) {
  assert.ok(gateway, `no gateway: ${errorLines(composed.apollo).join('\n')}`);
  const from = subgraphCalls.length;
  const { body } = await postRaw(gateway.url, query, variables);
  return { body, calls: subgraphCalls.slice(from) };
}

// Two logs of prod-chat, one of staging, and the two gateways, with their
// global ids, as our service lists them.
async function someObjects() {
  const data = await direct(`{
    a: gateway(gatewayId: "prod-chat") { id gatewayId logs(first: 2) { nodes { id logId provider model gateway { gatewayId } } } }
    b: gateway(gatewayId: "staging") { id gatewayId logs(first: 1) { nodes { id logId provider model gateway { gatewayId } } } }
  }`);
  const logs = [...data.a.logs.nodes, ...data.b.logs.nodes];
  const gateways = [data.a, data.b].map(({ id, gatewayId }) => ({ id, gatewayId }));
  for (const log of logs) knownIds.set(log.id, 'AIGatewayLog');
  for (const g of gateways) knownIds.set(g.id, 'AIGateway');
  return { logs, gateways };
}

// The upstream calls our service logged for the last operation of a name.
function upstreamCalls(server, operation) {
  const lines = server.log().split('\n').filter((l) => l.includes('"graphql operation"') && l.includes(`"operation":"${operation}"`));
  assert.ok(lines.length > 0, `${operation} is in the server's log`);
  return JSON.parse(lines.at(-1)).upstream_calls;
}

// ---------------------------------------------------------------- tests

test('FEDERATION_NODE_FIELDS=false leaves node and nodes out of the SDL; they still answer directly', { timeout: TEST_TIMEOUT_MS }, async () => {
  const queryFields = (sdl) => [...sdl.matchAll(/^\s+(node|nodes)\(/gm)].map((m) => m[1]);
  assert.deepEqual(queryFields(sdlOn), ['node', 'nodes']);
  assert.deepEqual(queryFields(sdlOff), []);
  for (const sdl of [sdlOn, sdlOff]) {
    assert.match(sdl, /interface Node\b/);
    assert.match(sdl, /type AIGateway implements Node @key\(fields: "accountId gatewayId"\) @key\(fields: "id"\)/);
    assert.match(sdl, /type AIGatewayLog implements Node @key\(fields: "id"\)/);
    assert.doesNotMatch(sdl, /@entityResolver/);
  }
  const { logs } = await someObjects();
  const data = await direct('query($id: ID!) { node(id: $id) { id ... on AIGatewayLog { logId } } }', { id: logs[0].id });
  assert.deepEqual(data.node, { id: logs[0].id, logId: logs[0].logId });
});

test('both composers compose our subgraph next to the node owner, which alone resolves node and nodes', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const [composer, result] of Object.entries(composed)) {
    assert.deepEqual(errorLines(result), [], `${composer}: no composition error`);
    for (const field of ['node', 'nodes']) {
      const line = result.supergraphSdl.split('\n').find((l) => new RegExp(`^\\s+${field}\\(`).test(l));
      assert.match(line, /@join__field\(graph: DIRECTORY\)/, `${composer}: Query.${field} from the directory only: ${line}`);
      assert.doesNotMatch(line, /graph: LOGS/, composer);
    }
  }
  const ours = (composed.apollo.hints ?? []).filter((h) => /\bAIGateway\w*/.test(h.message));
  assert.deepEqual(ours.map((h) => h.message), [], 'no Apollo hint names a type of ours');
});

test('negative control: with node fields on, composition next to the node owner fails on Query.node and Query.nodes', { timeout: TEST_TIMEOUT_MS }, () => {
  for (const [composer, result] of Object.entries(composeBoth(ourServices(sdlOn)))) {
    assert.deepEqual(errorCodes(result), ['INVALID_FIELD_SHARING'], composer);
    assert.deepEqual(errorLines(result).map((l) => l.match(/"(Query\.\w+)"/)[1]).sort(), ['Query.node', 'Query.nodes'], composer);
  }
});

test('_entities by global id returns our logs and gateways, log lookups batched per gateway', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { logs, gateways } = await someObjects();
  const representations = [
    { __typename: 'AIGatewayLog', id: logs[0].id },
    { __typename: 'AIGateway', id: gateways[1].id },
    { __typename: 'AIGatewayLog', id: logs[2].id },
    { __typename: 'AIGatewayLog', id: logs[1].id },
    { __typename: 'AIGateway', id: gateways[0].id },
  ];
  const data = await direct(
    `query EntitiesByGlobalID($r: [_Any!]!) {
      _entities(representations: $r) {
        __typename
        ... on AIGatewayLog { id logId provider model gateway { gatewayId } }
        ... on AIGateway { id gatewayId }
      }
    }`,
    { r: representations },
  );
  assert.deepEqual(data._entities, [
    { __typename: 'AIGatewayLog', ...logs[0] },
    { __typename: 'AIGateway', ...gateways[1] },
    { __typename: 'AIGatewayLog', ...logs[2] },
    { __typename: 'AIGatewayLog', ...logs[1] },
    { __typename: 'AIGateway', ...gateways[0] },
  ]);
  // Three logs of two gateways: one lookup per gateway. The gateways
  // themselves need no call for the fields selected.
  assert.equal(upstreamCalls(off, 'EntitiesByGlobalID'), 2);
});

test('through Apollo Gateway, the node owner\'s node and nodes return our logs and gateways', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { logs, gateways } = await someObjects();
  const one = await viaGateway(
    `query($id: ID!) { node(id: $id) { __typename id ... on AIGatewayLog { logId provider model gateway { gatewayId } } } }`,
    { id: logs[1].id },
  );
  assert.equal(one.body.errors, undefined, JSON.stringify(one.body.errors));
  assert.deepEqual(one.body.data.node, { __typename: 'AIGatewayLog', ...logs[1] });
  // The plan: the node from the directory, then the log's fields from us by its id.
  assert.deepEqual(one.calls.map((c) => c.subgraph), ['directory', 'logs']);
  assert.match(one.calls[1].query, /_entities\(representations:/);
  assert.deepEqual(one.calls[1].variables.representations, [{ __typename: 'AIGatewayLog', id: logs[1].id }]);

  const ids = ['user:ada', gateways[0].id, logs[0].id, 'user:nobody', logs[2].id];
  const many = await viaGateway(
    `query($ids: [ID!]!) {
      nodes(ids: $ids) {
        __typename id
        ... on User { name }
        ... on AIGateway { gatewayId }
        ... on AIGatewayLog { logId provider model gateway { gatewayId } }
      }
    }`,
    { ids },
  );
  assert.equal(many.body.errors, undefined, JSON.stringify(many.body.errors));
  assert.deepEqual(many.body.data.nodes, [
    { __typename: 'User', id: 'user:ada', name: USERS['user:ada'] },
    { __typename: 'AIGateway', ...gateways[0] },
    { __typename: 'AIGatewayLog', ...logs[0] },
    null,
    { __typename: 'AIGatewayLog', ...logs[2] },
  ]);
  // One _entities call to us for the gateway and both logs.
  const ours = many.calls.filter((c) => c.subgraph === 'logs');
  assert.equal(ours.length, 1, JSON.stringify(many.calls));
  assert.deepEqual(
    ours[0].variables.representations.map((r) => r.id).sort(),
    [gateways[0].id, logs[0].id, logs[2].id].sort(),
  );
});
