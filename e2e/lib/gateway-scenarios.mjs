// The tests every gateway gets (federation-apollo-gateway and
// federation-hive register them): the join both ways round, the next page,
// a filter, NOT_FOUND, the token forwarded by the documented recipe and
// nowhere else, and what the gateway keeps of our error extensions.
//
// registerGatewayScenarios(ctx, expected) registers them with node:test.
// ctx is filled by the file's before() hook:
//   ctx.stack   startStack()'s result
//   ctx.recipe  { url }: the gateway over "secured" and "owners", with the
//               README's recipe that forwards Authorization to "logs" only
//   ctx.plain   { url }: the same gateway without the recipe
//   ctx.limited { url }: a gateway over "limited" and "owners" (limited uses
//               its own demo token; no recipe needed)
// expected says what this gateway does with errors, where gateways differ
// (see the table at the top of federation-hive.test.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postRaw } from './federation.mjs';
import { BEARER, OWNERS, securedDirect, spendRateBudget } from './gateway-stack.mjs';

const TEST_TIMEOUT_MS = 60_000;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const auth = { authorization: BEARER };

const PAGE_QUERY = `query GatewayPage($after: String) {
  gateway(gatewayId: "prod-chat") {
    gatewayId
    owner
    logs(first: 3, after: $after) {
      edges { cursor node { logId provider } }
      pageInfo { endCursor hasNextPage }
    }
  }
}`;
const DIRECT_PAGE_QUERY = PAGE_QUERY.replace(/\n\s*owner\n/, '\n');

const FILTER_QUERY = `query Filtered($filter: AIGatewayLogFilter) {
  gateway(gatewayId: "prod-chat") {
    owner
    logs(first: 5, filter: $filter) { totalCount nodes { logId provider } }
  }
}`;
const DIRECT_FILTER_QUERY = FILTER_QUERY.replace(/\n\s*owner\n/, '\n');

const NOT_FOUND_QUERY = '{ gateway(gatewayId: "nope") { logs(first: 1) { totalCount } } }';
const ENTITIES_QUERY = `query Top($ids: [ID!]!) { topGateways(gatewayIds: $ids) { gatewayId owner logs(first: 1) { totalCount } } }`;

// What a gateway adds to the extensions of every subgraph error.
const extensionsOf = (err) => Object.keys(err.extensions ?? {}).sort();

export function registerGatewayScenarios(ctx, expected) {
  const via = async (gw, query, variables = {}, headers = auth) => {
    assert.ok(ctx[gw], `no ${gw} gateway`);
    const { status, body } = await postRaw(ctx[gw].url, query, variables, headers);
    assert.equal(status, 200, JSON.stringify(body));
    return body;
  };

  test('without the recipe the caller\'s token never reaches our subgraph: UNAUTHENTICATED', { timeout: TEST_TIMEOUT_MS }, async () => {
    const body = await via('plain', '{ gateway(gatewayId: "prod-chat") { owner logs(first: 1) { totalCount } } }');
    assert.deepEqual(body.data, { gateway: { owner: 'team-chat', logs: null } });
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(body));
    assert.deepEqual(body.errors[0].path, ['gateway', 'logs']);
  });

  test('with the recipe: no token is UNAUTHENTICATED, a wrong token is refused upstream, the right one gets data', { timeout: TEST_TIMEOUT_MS }, async () => {
    const q = '{ gateway(gatewayId: "prod-chat") { owner logs(first: 1) { totalCount } } }';
    const none = await via('recipe', q, {}, {});
    assert.equal(none.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(none));
    assert.match(none.errors[0].message, /^no credentials/);
    // The token the service uses is the caller's: a wrong one is refused by
    // the upstream (a status in extensions.upstream), not replaced.
    const wrong = await via('recipe', q, {}, { authorization: 'Bearer not-a-token' });
    assert.equal(wrong.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(wrong));
    assert.equal(wrong.errors[0].extensions.upstream?.status, 401, JSON.stringify(wrong));
    const right = await via('recipe', q);
    assert.equal(right.errors, undefined, JSON.stringify(right.errors));
    assert.equal(right.data.gateway.owner, 'team-chat');
    assert.ok(right.data.gateway.logs.totalCount > 0);
  });

  test('the join and the next page, as our service answers them', { timeout: TEST_TIMEOUT_MS }, async () => {
    // Page 1's cursors carry the time of the request and the demo logs a
    // new request every few seconds: should one arrive in between, the
    // comparison is made again.
    let page1;
    let direct1;
    for (let attempt = 1; attempt <= 3; attempt++) {
      page1 = await via('recipe', PAGE_QUERY);
      direct1 = await securedDirect(ctx.stack, DIRECT_PAGE_QUERY);
      const nodes = (d) => JSON.stringify(d?.gateway?.logs?.edges?.map((e) => e.node));
      if (nodes(page1.data) === nodes(direct1)) break;
    }
    assert.equal(page1.errors, undefined, JSON.stringify(page1.errors));
    const g1 = page1.data.gateway;
    assert.equal(g1.owner, OWNERS['prod-chat'], 'owner comes from the owners subgraph');
    assert.deepEqual(g1.logs.edges.map((e) => e.node), direct1.gateway.logs.edges.map((e) => e.node));
    assert.equal(g1.logs.edges.length, 3);
    for (const { node } of g1.logs.edges) assert.match(node.logId, ULID);
    assert.equal(g1.logs.pageInfo.hasNextPage, true);

    // Page 2 from page 1's end cursor: pinned to page 1's snapshot, so the
    // gateway's answer and the service's own are the same, cursors included.
    const after = g1.logs.pageInfo.endCursor;
    const page2 = await via('recipe', PAGE_QUERY, { after });
    assert.equal(page2.errors, undefined, JSON.stringify(page2.errors));
    const direct2 = await securedDirect(ctx.stack, DIRECT_PAGE_QUERY, { after });
    assert.deepEqual(page2.data.gateway.logs, direct2.gateway.logs);
    const seen = new Set(g1.logs.edges.map((e) => e.node.logId));
    for (const { node } of page2.data.gateway.logs.edges) assert.ok(!seen.has(node.logId), `${node.logId} is not on page 1`);
  });

  test('a query that starts in the other subgraph gets our fields through _entities', { timeout: TEST_TIMEOUT_MS }, async () => {
    const ids = ['batch-jobs', 'prod-chat'];
    const body = await via('recipe', ENTITIES_QUERY, { ids });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual(body.data.topGateways.map((g) => [g.gatewayId, g.owner]), ids.map((id) => [id, OWNERS[id]]));
    for (const g of body.data.topGateways) assert.ok(g.logs.totalCount > 0, g.gatewayId);
  });

  test('a filter given as an AIGatewayLogFilter variable', { timeout: TEST_TIMEOUT_MS }, async () => {
    const all = await securedDirect(ctx.stack, '{ gateway(gatewayId: "prod-chat") { logs(first: 1) { totalCount nodes { provider } } } }');
    const provider = all.gateway.logs.nodes[0].provider;
    const filter = { provider: { eq: provider }, logId: { neq: 'not-a-log' } };
    let body;
    let direct;
    for (let attempt = 1; attempt <= 3; attempt++) {
      body = await via('recipe', FILTER_QUERY, { filter });
      direct = await securedDirect(ctx.stack, DIRECT_FILTER_QUERY, { filter });
      if (body.data?.gateway?.logs?.totalCount === direct.gateway.logs.totalCount) break;
    }
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const logs = body.data.gateway.logs;
    assert.equal(logs.nodes.length, 5);
    for (const node of logs.nodes) assert.equal(node.provider, provider);
    assert.equal(logs.totalCount, direct.gateway.logs.totalCount);
    assert.ok(logs.totalCount < all.gateway.logs.totalCount, `the filter cut something: ${logs.totalCount} of ${all.gateway.logs.totalCount}`);
  });

  test('NOT_FOUND reaches the client with its code and what the upstream said', { timeout: TEST_TIMEOUT_MS }, async () => {
    const body = await via('recipe', NOT_FOUND_QUERY);
    const { body: direct } = await postRaw(`${ctx.stack.secured.baseURL}/query`, NOT_FOUND_QUERY, {}, auth);
    assert.deepEqual(body.data, { gateway: { logs: null } });
    assert.equal(body.errors?.length, 1, JSON.stringify(body));
    const [err] = body.errors;
    assert.equal(err.extensions.code, 'NOT_FOUND');
    assert.deepEqual(err.path, ['gateway', 'logs']);
    assert.equal(err.message, direct.errors[0].message);
    // Everything we said, plus what the gateway adds.
    assert.deepEqual(err.extensions, { ...direct.errors[0].extensions, ...expected.added });
  });

  test('an entity that fails fails alone; the path of its error as the gateway gives it', { timeout: TEST_TIMEOUT_MS }, async () => {
    const ids = ['prod-chat', 'nope', 'staging'];
    const body = await via('recipe', ENTITIES_QUERY, { ids });
    assert.deepEqual(body.data.topGateways.map((g) => g.gatewayId), ids);
    assert.equal(body.data.topGateways[1].logs, null);
    assert.ok(body.data.topGateways[0].logs.totalCount > 0);
    assert.ok(body.data.topGateways[2].logs.totalCount > 0);
    assert.equal(body.errors?.length, 1, JSON.stringify(body));
    assert.equal(body.errors[0].extensions.code, 'NOT_FOUND');
    assert.equal(body.errors[0].extensions.upstream?.status, 404);
    assert.deepEqual(body.errors[0].path, expected.entityErrorPath(1));
  });

  test('QUERY_TOO_EXPENSIVE keeps cost, maxCost and how many representations fit; where a pathless error lands', { timeout: TEST_TIMEOUT_MS }, async () => {
    const keysOf = (extra) => ['code', 'cost', 'maxCost', ...extra, ...Object.keys(expected.added)].sort();
    // An entity fetch over the limit: three gateways, two fit.
    const ids = ['prod-chat', 'batch-jobs', 'staging'];
    const ents = await via('limited', ENTITIES_QUERY, { ids }, {});
    assert.deepEqual(ents.data.topGateways.map((g) => [g.gatewayId, g.owner, g.logs]), ids.map((id) => [id, OWNERS[id], null]));
    assert.deepEqual(ents.errors?.map((e) => e.path), expected.pathlessErrorPaths(ids.map(() => ['topGateways', 'logs'])), JSON.stringify(ents));
    for (const err of ents.errors) {
      assert.equal(err.extensions.code, 'QUERY_TOO_EXPENSIVE');
      assert.deepEqual(extensionsOf(err), keysOf(['representations', 'representationsThatFit']));
      const { cost, maxCost, representations, representationsThatFit } = err.extensions;
      assert.deepEqual({ cost, maxCost, representations, representationsThatFit }, { cost: 3, maxCost: 2, representations: 3, representationsThatFit: 2 });
    }
    // Three root fields of ours, one call each: the operation is refused whole.
    const root = await via('limited', '{ a: logs(gatewayId: "prod-chat", first: 1) { totalCount } b: logs(gatewayId: "staging", first: 1) { totalCount } c: logs(gatewayId: "batch-jobs", first: 1) { totalCount } }', {}, {});
    assert.deepEqual(root.data, { a: null, b: null, c: null });
    assert.deepEqual(root.errors?.map((e) => e.path), expected.pathlessErrorPaths([['a'], ['b'], ['c']]), JSON.stringify(root));
    for (const err of root.errors) {
      assert.equal(err.extensions.code, 'QUERY_TOO_EXPENSIVE');
      assert.deepEqual(extensionsOf(err), keysOf([]));
      assert.deepEqual([err.extensions.cost, err.extensions.maxCost], [3, 2]);
    }
  });

  test('RATE_LIMITED keeps retryAfter and upstream, on a root field and on entities', { timeout: TEST_TIMEOUT_MS }, async () => {
    await spendRateBudget(ctx.stack);
    const root = await via('limited', '{ gateway(gatewayId: "prod-chat") { owner logs(first: 1) { totalCount } } }', {}, {});
    assert.deepEqual(root.data, { gateway: { owner: 'team-chat', logs: null } });
    assert.equal(root.errors?.length, 1, JSON.stringify(root));
    const [err] = root.errors;
    assert.deepEqual(err.path, ['gateway', 'logs']);
    assert.deepEqual(extensionsOf(err), ['code', 'retryAfter', 'upstream', ...Object.keys(expected.added)].sort());
    assert.equal(err.extensions.code, 'RATE_LIMITED');
    assert.ok(Number.isInteger(err.extensions.retryAfter) && err.extensions.retryAfter > 0 && err.extensions.retryAfter <= 3600, `retryAfter ${err.extensions.retryAfter}`);
    assert.equal(err.extensions.upstream.status, 429);

    const ids = ['prod-chat', 'staging'];
    const ents = await via('limited', ENTITIES_QUERY, { ids }, {});
    assert.deepEqual(ents.data.topGateways.map((g) => g.logs), [null, null]);
    assert.equal(ents.errors?.length, 2, JSON.stringify(ents));
    const paths = ents.errors.map((e) => JSON.stringify(e.path)).sort();
    assert.deepEqual(paths, [0, 1].map((i) => JSON.stringify(expected.entityErrorPath(i))).sort());
    for (const e of ents.errors) {
      assert.equal(e.extensions.code, 'RATE_LIMITED');
      assert.ok(e.extensions.retryAfter > 0);
      assert.equal(e.extensions.upstream.status, 429);
    }
  });

  test('the other subgraph never received an Authorization header', { timeout: TEST_TIMEOUT_MS }, () => {
    const requests = ctx.stack.owners.requests;
    assert.ok(requests.length >= 10, `owners was asked ${requests.length} times`);
    const leaked = requests.filter((r) => 'authorization' in r.headers);
    assert.deepEqual(leaked.map((r) => r.headers.authorization), []);
  });
}
