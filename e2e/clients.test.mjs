// GraphQL clients nobody here wrote, against the live service, as a
// frontend would use them:
//
// - Apollo Client 4 with relayStylePagination: a forward walk (first/after)
//   and a backward walk (last/before) with a filter, merged by its cache:
//   no log twice, every log matching the filter; and a query that does not
//   validate reaching the application as CombinedGraphQLErrors with the
//   service's message and code (Apollo sends
//   `Accept: application/graphql-response+json,application/json;q=0.9`; a
//   status it cannot read as GraphQL would be a ServerError instead).
// - the same with Apollo Client over account.logs, a walk across gateways
//   (the account normalized by accountId), forwards and backwards.
// - urql (@urql/core 6) with graphcache 9 and relayPagination: the same
//   forward walk.
//
// Run: cd e2e && npm ci && npm test

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { Client, fetchExchange } from '@urql/core';
import { cacheExchange } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { firstValueFrom } from 'rxjs';
import { filter as where } from 'rxjs/operators';
import { REQUEST_TIMEOUT_MS, START_TIMEOUT_MS, startServer } from './lib/server.mjs';

const TEST_TIMEOUT_MS = 60_000;
const PAGE = 7; // logs a page
const PAGES = 4; // pages a walk

let server;
let url;

before(async () => {
  server = await startServer();
  url = `${server.baseURL}/query`;
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await server?.stop();
});

// The filter of the walks, and the same as a predicate on a log.
const FILTER = { provider: { eq: 'openai' }, success: { eq: true } };
const matches = (log) => log.provider === 'openai' && log.success === true;

const LOGS = `
  query GatewayLogs($gatewayId: ID!, $filter: AIGatewayLogFilter, $first: Int, $after: String, $last: Int, $before: String) {
    logs(gatewayId: $gatewayId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      edges { cursor node { id logId provider success } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

/**
 * fetch with a time limit that records each exchange: the request's Accept
 * and the answer's status and Content-Type.
 */
function recordingFetch() {
  const exchanges = [];
  const fetchFn = async (input, init = {}) => {
    const res = await fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    exchanges.push({
      accept: new Headers(init.headers).get('accept'),
      status: res.status,
      contentType: res.headers.get('content-type'),
    });
    return res;
  };
  return { fetchFn, exchanges };
}

/** Asserts that a merged walk holds n distinct logs, each matching FILTER. */
function assertWalk(edges, n, what) {
  const ids = edges.map((e) => e.node.logId);
  assert.equal(new Set(ids).size, ids.length, `${what}: a log twice in ${ids}`);
  assert.equal(ids.length, n, `${what}: ${ids.length} logs, want ${n}`);
  const other = edges.filter((e) => !matches(e.node));
  assert.deepEqual(other, [], `${what}: logs that do not match the filter`);
}

function apolloClient(fetchFn) {
  return new ApolloClient({
    link: new HttpLink({ uri: url, fetch: fetchFn }),
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { logs: relayStylePagination(['gatewayId', 'accountId', 'filter', 'orderBy', 'search']) } },
      },
    }),
  });
}

/**
 * Walks PAGES pages with Apollo's fetchMore from `start`, each next page
 * from the cursor `next` picks, and returns the merged edges the watched
 * query then holds. The watched query delivers the merged list after
 * fetchMore resolves, when the cache broadcasts its change.
 */
async function apolloWalk(client, start, next) {
  const query = client.watchQuery({ query: gql(LOGS), variables: { gatewayId: 'prod-chat', filter: FILTER, ...start } });
  const sub = query.subscribe(() => {});
  try {
    let result = await firstValueFrom(query.pipe(where((r) => r.dataState === 'complete')));
    for (let page = 1; page < PAGES; page++) {
      assert.ok(!result.error, `page ${page}: ${result.error}`);
      const shown = result.data.logs.edges;
      await query.fetchMore({ variables: next(result.data.logs.pageInfo) });
      result = await firstValueFrom(query.pipe(where((r) => r.dataState === 'complete' && r.data.logs.edges !== shown)));
    }
    return result.data.logs.edges;
  } finally {
    sub.unsubscribe();
  }
}

test('Apollo Client 4: a forward relayStylePagination walk with a filter', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { fetchFn, exchanges } = recordingFetch();
  const edges = await apolloWalk(apolloClient(fetchFn), { first: PAGE }, (p) => {
    assert.ok(p.hasNextPage, 'the walk ended early');
    return { after: p.endCursor };
  });
  assertWalk(edges, PAGE * PAGES, 'forward');
  assert.equal(exchanges.length, PAGES);
});

test('Apollo Client 4: a backward relayStylePagination walk with a filter', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { fetchFn, exchanges } = recordingFetch();
  const edges = await apolloWalk(apolloClient(fetchFn), { last: PAGE }, (p) => {
    assert.ok(p.hasPreviousPage, 'the walk ended early');
    return { before: p.startCursor };
  });
  assertWalk(edges, PAGE * PAGES, 'backward');
  assert.equal(exchanges.length, PAGES);
});

test('Apollo Client 4: a query that does not validate is CombinedGraphQLErrors with its message', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { fetchFn, exchanges } = recordingFetch();
  const client = apolloClient(fetchFn);
  await assert.rejects(
    client.query({ query: gql`query Typo { logs(gatewayId: "prod-chat", first: 1) { edges { nod { logId } } } }` }),
    (err) => {
      assert.ok(CombinedGraphQLErrors.is(err), `${err?.name}: ${err?.message}`);
      assert.equal(err.errors.length, 1);
      assert.match(err.errors[0].message, /"nod"/);
      assert.equal(err.errors[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.equal(err.data, undefined);
      return true;
    },
  );
  // What went over the wire: Apollo's Accept, answered in kind with 400.
  assert.deepEqual(exchanges, [
    { accept: 'application/graphql-response+json,application/json;q=0.9', status: 400, contentType: 'application/graphql-response+json' },
  ]);
});

const ACCOUNT_LOGS = `
  query AccountLogs($gatewayIds: [ID!], $filter: AIGatewayLogFilter, $first: Int, $after: String, $last: Int, $before: String) {
    account {
      accountId
      logs(gatewayIds: $gatewayIds, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        edges { cursor node { id logId provider success createdAt gateway { gatewayId } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }`;

/**
 * A walk across gateways with Apollo's fetchMore: PAGES pages from `start`,
 * each next one from the cursor `next` picks; returns the merged edges.
 */
async function apolloAccountWalk(start, next) {
  const { fetchFn, exchanges } = recordingFetch();
  const client = new ApolloClient({
    link: new HttpLink({ uri: url, fetch: fetchFn }),
    cache: new InMemoryCache({
      typePolicies: {
        AIGatewayAccount: {
          keyFields: ['accountId'],
          fields: { logs: relayStylePagination(['gatewayIds', 'filter', 'orderBy', 'search']) },
        },
      },
    }),
  });
  const variables = { gatewayIds: ['prod-chat', 'staging', 'batch-jobs'], filter: FILTER, ...start };
  const query = client.watchQuery({ query: gql(ACCOUNT_LOGS), variables });
  const sub = query.subscribe(() => {});
  try {
    let result = await firstValueFrom(query.pipe(where((r) => r.dataState === 'complete')));
    for (let page = 1; page < PAGES; page++) {
      assert.ok(!result.error, `page ${page}: ${result.error}`);
      const shown = result.data.account.logs.edges;
      await query.fetchMore({ variables: next(result.data.account.logs.pageInfo) });
      result = await firstValueFrom(query.pipe(where((r) => r.dataState === 'complete' && r.data.account.logs.edges !== shown)));
    }
    assert.equal(exchanges.length, PAGES);
    return result.data.account.logs.edges;
  } finally {
    sub.unsubscribe();
  }
}

/** The merged list is newest first and holds logs of several gateways. */
function assertMerged(edges, what) {
  const times = edges.map((e) => Date.parse(e.node.createdAt));
  for (let i = 1; i < times.length; i++) {
    assert.ok(times[i] <= times[i - 1], `${what}: not newest first at ${i}`);
  }
  const gateways = new Set(edges.map((e) => e.node.gateway.gatewayId));
  assert.ok(gateways.size > 1, `${what}: logs of ${[...gateways]} only`);
}

test('Apollo Client 4: relayStylePagination walks account.logs across gateways, forwards and backwards', { timeout: TEST_TIMEOUT_MS }, async () => {
  const forward = await apolloAccountWalk({ first: PAGE }, (p) => {
    assert.ok(p.hasNextPage, 'the walk ended early');
    return { after: p.endCursor };
  });
  assertWalk(forward, PAGE * PAGES, 'forward');
  assertMerged(forward, 'forward');
  const backward = await apolloAccountWalk({ last: PAGE }, (p) => {
    assert.ok(p.hasPreviousPage, 'the walk ended early');
    return { before: p.startCursor };
  });
  assertWalk(backward, PAGE * PAGES, 'backward');
  assertMerged(backward, 'backward');
});

test('urql with graphcache: a forward relayPagination walk with a filter', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { fetchFn, exchanges } = recordingFetch();
  const client = new Client({
    url,
    fetch: fetchFn,
    exchanges: [
      cacheExchange({
        // Connections, edges and pageInfo have no id: they live inside
        // the query's field, not as entities.
        keys: { AIGatewayLogConnection: () => null, AIGatewayLogEdge: () => null, PageInfo: () => null },
        resolvers: { Query: { logs: relayPagination() } },
      }),
      fetchExchange,
    ],
  });
  let after = null;
  let edges = [];
  for (let page = 0; page < PAGES; page++) {
    const res = await client.query(LOGS, { gatewayId: 'prod-chat', filter: FILTER, first: PAGE, after }).toPromise();
    assert.equal(res.error, undefined, `page ${page + 1}: ${res.error}`);
    ({ edges } = res.data.logs);
    assert.equal(edges.length, PAGE * (page + 1), `page ${page + 1}: the cache holds ${edges.length} logs`);
    assert.ok(res.data.logs.pageInfo.hasNextPage, 'the walk ended early');
    after = res.data.logs.pageInfo.endCursor;
  }
  assertWalk(edges, PAGE * PAGES, 'forward');
  assert.equal(exchanges.length, PAGES);
  assert.ok(exchanges.every((x) => x.status === 200), JSON.stringify(exchanges));
});
