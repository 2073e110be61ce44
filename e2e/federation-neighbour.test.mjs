// Composition next to an ordinary neighbour: another team's subgraph (an
// audit-log and payments service) that uses the everyday names a supergraph
// is full of — its own `Gateway` (payment gateways), `Log` (audit entries),
// their connections and edges, `StringFilter { eq contains }`, `IntFilter`,
// and the conventions every team shares: a Relay `PageInfo @shareable` with
// the four standard fields, `OrderDirection { ASC DESC }`, `DateTime`, `JSON`.
//
// Our subgraph SDL (fetched from the running service) must compose with it
// under both composers, @apollo/composition and
// @theguild/federation-composition, with no error, no hint that names one of
// our types, and every field of every type of ours intact in the supergraph.
//
// Negative controls show the checks can fail: the same SDL with a few types
// given back their old, unprefixed names (Gateway, Log, StringFilter, …), or
// with PageInfo not shareable, fails or silently loses filter operators.
//
// Run: cd e2e && npm ci && node --test federation-neighbour.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { START_TIMEOUT_MS, startServer } from './lib/server.mjs';
import { OUR_PREFIX, composeBoth, errorCodes, errorLines, fetchSDL, typeMembers } from './lib/federation.mjs';

const TEST_TIMEOUT_MS = 60_000;

// The neighbour: a payments team's subgraph, as it might well be written.
const NEIGHBOUR_SDL = `
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

"A point in time, ISO 8601."
scalar DateTime

"Free-form JSON."
scalar JSON

"Relay paging state."
type PageInfo @shareable {
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}

enum OrderDirection { ASC DESC }

"Matches a text field."
input StringFilter { eq: String contains: String }

"Matches a number field."
input IntFilter { eq: Int lt: Int gt: Int }

"A payment gateway (a card processor) the company takes payments through."
type Gateway @key(fields: "id") {
  id: ID!
  provider: String!
  name: String!
  createdAt: DateTime!
  settings: JSON
  logs(first: Int, after: String, filter: LogFilter, direction: OrderDirection = DESC): LogConnection!
}

"An audit log entry: who did what to a payment gateway."
type Log @key(fields: "id") {
  id: ID!
  gateway: Gateway
  actor: String!
  action: String!
  amountCents: Int
  createdAt: DateTime!
  details: JSON
}

input LogFilter { action: StringFilter actor: StringFilter amountCents: IntFilter }

type LogConnection { edges: [LogEdge!]! nodes: [Log!]! pageInfo: PageInfo! totalCount: Int! }
type LogEdge { cursor: String! node: Log! }
type GatewayConnection { edges: [GatewayEdge!]! pageInfo: PageInfo! }
type GatewayEdge { cursor: String! node: Gateway! }

type Query {
  paymentGateway(id: ID!): Gateway
  paymentGateways(first: Int, after: String, name: StringFilter, direction: OrderDirection = ASC): GatewayConnection!
  auditLogs(first: Int, after: String, filter: LogFilter, direction: OrderDirection = DESC): LogConnection!
}
`;

// The conventions both subgraphs define on purpose.
const SHARED = ['PageInfo', 'OrderDirection', 'DateTime', 'JSON'];

const isOurs = (name) => name.startsWith(OUR_PREFIX);

// The old names, before every type of ours carried the prefix.
const OLD_NAMES = {
  AIGateway: 'Gateway',
  AIGatewayConnection: 'GatewayConnection',
  AIGatewayEdge: 'GatewayEdge',
  AIGatewayLog: 'Log',
  AIGatewayLogConnection: 'LogConnection',
  AIGatewayLogEdge: 'LogEdge',
  AIGatewayLogFilter: 'LogFilter',
  AIGatewayStringFilter: 'StringFilter',
  AIGatewayIntFilter: 'IntFilter',
};

// withOldNames gives the listed types of an SDL their old names back.
function withOldNames(sdl, names) {
  return sdl.replace(/\bAIGateway\w*\b/g, (name) => (names.includes(name) ? OLD_NAMES[name] : name));
}

let facade; // our service
let sdl; // its subgraph SDL

before(async () => {
  facade = await startServer();
  sdl = await fetchSDL(facade.baseURL);
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await facade?.stop();
});

const compose = (ours) =>
  composeBoth([
    { name: 'logs', typeDefs: ours, url: 'http://127.0.0.1:1/query' },
    { name: 'payments', typeDefs: NEIGHBOUR_SDL, url: 'http://127.0.0.1:2/graphql' },
  ]);

test('the neighbour is a valid subgraph on its own', { timeout: TEST_TIMEOUT_MS }, () => {
  assert.doesNotThrow(() => buildSubgraphSchema({ typeDefs: parse(NEIGHBOUR_SDL) }));
  // It does clash with the old names: it defines them all.
  const neighbourTypes = Object.keys(typeMembers(NEIGHBOUR_SDL, () => true));
  for (const old of Object.values(OLD_NAMES)) assert.ok(neighbourTypes.includes(old), `the neighbour defines ${old}`);
  for (const name of SHARED) assert.ok(neighbourTypes.includes(name) || NEIGHBOUR_SDL.includes(`scalar ${name}`), name);
});

test('both composers compose our subgraph with the neighbour, without an error', { timeout: TEST_TIMEOUT_MS }, () => {
  const { apollo, guild } = compose(sdl);
  for (const [composer, result] of Object.entries({ apollo, guild })) {
    assert.deepEqual(errorLines(result), [], `${composer}: no composition error`);
    assert.equal(typeof result.supergraphSdl, 'string', composer);
  }
});

test('every type of ours keeps all its fields, and the neighbour keeps its own', { timeout: TEST_TIMEOUT_MS }, () => {
  const ours = typeMembers(sdl, isOurs);
  assert.ok(Object.keys(ours).length >= 15, `our SDL has the prefixed types: ${Object.keys(ours)}`);
  assert.deepEqual(ours.AIGatewayStringFilter, ['contains', 'eq', 'in', 'isNull', 'neq', 'notIn']);
  const theirs = typeMembers(NEIGHBOUR_SDL, (n) => !SHARED.includes(n) && n !== 'Query');
  const { apollo, guild } = compose(sdl);
  for (const [composer, result] of Object.entries({ apollo, guild })) {
    const supergraph = result.supergraphSdl;
    assert.ok(supergraph, `${composer} composed`);
    assert.deepEqual(typeMembers(supergraph, isOurs), ours, `${composer}: our types as we define them`);
    assert.deepEqual(typeMembers(supergraph, (n) => n in theirs), theirs, `${composer}: the neighbour's types as it defines them`);
    const shared = typeMembers(supergraph, (n) => SHARED.includes(n));
    assert.deepEqual(shared.PageInfo, ['endCursor', 'hasNextPage', 'hasPreviousPage', 'startCursor'], composer);
    assert.deepEqual(shared.OrderDirection, ['ASC', 'DESC'], composer);
    // Our default order, newest first, survives.
    assert.match(supergraph, /input AIGatewayLogOrder[^}]*direction: OrderDirection! = DESC/, composer);
    for (const scalar of ['DateTime', 'JSON']) assert.match(supergraph, new RegExp(`scalar ${scalar}\\b`), composer);
  }
});

// hintNames lists the type names a hint is about: its coordinate's type and
// every name of one of both subgraphs' types its message mentions.
function hintNames(hint, names) {
  const found = new Set();
  if (hint.coordinate) found.add(hint.coordinate.split('.')[0]);
  for (const name of names) if (new RegExp(`\\b${name}\\b`).test(hint.message)) found.add(name);
  return [...found];
}

test('Apollo composition gives no hint about a type of ours; only description hints on the shared conventions', { timeout: TEST_TIMEOUT_MS }, () => {
  const { apollo } = compose(sdl);
  const hints = apollo.hints ?? [];
  const names = [...Object.keys(typeMembers(sdl, () => true)), ...Object.keys(typeMembers(NEIGHBOUR_SDL, () => true)), 'DateTime', 'JSON'];
  const about = hints.map((h) => ({ code: h.definition.code, names: hintNames(h, names) }));
  assert.deepEqual(about.filter((h) => h.names.some(isOurs)), [], 'no hint names a type of ours');
  // What is left is documentation: the two teams describe the shared
  // conventions in their own words, and the supergraph keeps one text.
  for (const h of about) {
    assert.equal(h.code, 'INCONSISTENT_DESCRIPTION', JSON.stringify(about));
    assert.ok(h.names.length > 0 && h.names.every((n) => SHARED.includes(n)), JSON.stringify(h));
  }
  // The Guild's composition reports no hints at all: it has none.
  assert.equal(compose(sdl).guild.hints, undefined);
});

// ------------------------------------------------------- negative controls

test('negative control: with the old names, both composers fail', { timeout: TEST_TIMEOUT_MS }, () => {
  const old = withOldNames(sdl, ['AIGateway', 'AIGatewayLog', 'AIGatewayLogConnection', 'AIGatewayLogEdge']);
  assert.match(old, /type Gateway implements Node/);
  assert.match(old, /type Log implements Node/);
  const { apollo, guild } = compose(old);
  for (const [composer, result] of Object.entries({ apollo, guild })) {
    assert.ok(result.errors?.length > 0, `${composer} fails`);
    const codes = errorCodes(result);
    assert.ok(codes.includes('INVALID_FIELD_SHARING'), `${composer}: ${codes}`);
    assert.ok(errorLines(result).some((l) => /"Gateway\.\w+"/.test(l)), `${composer} names Gateway`);
    assert.ok(errorLines(result).some((l) => /"Log\.\w+"/.test(l)), `${composer} names Log`);
  }
});

test('negative control: an old StringFilter composes, but loses neq, in, notIn and isNull (Apollo hints, The Guild is silent)', { timeout: TEST_TIMEOUT_MS }, () => {
  const old = withOldNames(sdl, ['AIGatewayStringFilter']);
  const { apollo, guild } = compose(old);
  const ours = typeMembers(old, (n) => n === 'StringFilter');
  assert.deepEqual(ours.StringFilter, ['contains', 'eq', 'in', 'isNull', 'neq', 'notIn']);
  for (const [composer, result] of Object.entries({ apollo, guild })) {
    assert.deepEqual(errorLines(result), [], `${composer} composes without a word of error`);
    const merged = typeMembers(result.supergraphSdl, (n) => n === 'StringFilter');
    assert.deepEqual(merged.StringFilter, ['contains', 'eq'], `${composer}: the merged input keeps only what both define`);
    assert.notDeepEqual(merged, ours, 'the check of the test above would catch it');
  }
  const dropped = (apollo.hints ?? []).filter((h) => h.definition.code === 'INCONSISTENT_INPUT_OBJECT_FIELD');
  assert.deepEqual(dropped.map((h) => h.message.match(/field "(\w+)"/)[1]).sort(), ['in', 'isNull', 'neq', 'notIn']);
  assert.ok(dropped.every((h) => /"StringFilter"/.test(h.message)));
  assert.equal(guild.hints, undefined, 'The Guild gives no hint');
});

test('negative control: a PageInfo that is not shareable fails next to the neighbour\'s', { timeout: TEST_TIMEOUT_MS }, () => {
  const unshared = sdl.replace(/type PageInfo @shareable/, 'type PageInfo');
  assert.notEqual(unshared, sdl, 'our PageInfo is @shareable');
  const { apollo, guild } = compose(unshared);
  for (const [composer, result] of Object.entries({ apollo, guild })) {
    assert.deepEqual(errorCodes(result), ['INVALID_FIELD_SHARING'], composer);
    assert.ok(errorLines(result).every((l) => /"PageInfo\.\w+"/.test(l)), `${composer}: ${errorLines(result)}`);
  }
});
