// End-to-end check of the live tail (Subscription.logAdded) with the
// clients people use, against a running service in -demo mode, whose
// simulated upstream appends a log to every gateway every 2 seconds:
//
// 1. graphql-ws (the graphql-transport-ws protocol over WebSocket, with the
//    `ws` package as Node 20's WebSocket) receives new logs, oldest first,
//    each with extensions.cursor; a client resuming from a cursor gets the
//    logs after it and nothing before; a credential sent empty in
//    connection_init is closed with 4401, which graphql-ws does not retry;
// 2. graphql-sse (Server-Sent Events, distinct connections) receives new
//    logs the same way; without a usable credential the stream is refused
//    with 401.
//
// Run: cd e2e && npm ci && node --test subscriptions.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient as createWSClient } from 'graphql-ws';
import { createClient as createSSEClient } from 'graphql-sse';
import WebSocket from 'ws';
import { START_TIMEOUT_MS, startServer } from './lib/server.mjs';

const TOKEN = 'cfsim-demo-token';
const TEST_TIMEOUT_MS = 90_000;
const EVENT_TIMEOUT_MS = 30_000; // logs arrive every 2 s; a busy machine polls late
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const TAIL = `subscription Tail($after: String) {
  logAdded(gatewayId: "prod-chat", after: $after) { logId createdAt gateway { gatewayId } }
}`;

let server;

before(async () => {
  server = await startServer();
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await server?.stop();
});

// Takes n results from an async iterator of execution results, failing on
// errors or when they do not come in time; then ends the subscription.
async function take(iterator, n) {
  const out = [];
  const timer = setTimeout(() => iterator.return?.(), EVENT_TIMEOUT_MS * n);
  try {
    for await (const result of iterator) {
      assert.equal(result.errors, undefined, `an error event: ${JSON.stringify(result.errors)}`);
      out.push(result);
      if (out.length === n) break;
    }
  } finally {
    clearTimeout(timer);
    await iterator.return?.();
  }
  assert.equal(out.length, n, `${out.length} of ${n} events came in time:\n${server.log()}`);
  return out;
}

// Checks that results are new logs of prod-chat, oldest first, each with a
// cursor, and returns their logs.
function checkLogs(results) {
  const logs = results.map((r) => r.data.logAdded);
  for (const [i, r] of results.entries()) {
    assert.match(logs[i].logId, ULID);
    assert.equal(logs[i].gateway.gatewayId, 'prod-chat');
    assert.equal(typeof r.extensions?.cursor, 'string', 'every event has extensions.cursor');
    if (i > 0) assert.ok(logs[i - 1].createdAt <= logs[i].createdAt, 'oldest first');
  }
  assert.equal(new Set(logs.map((l) => l.logId)).size, logs.length, 'each log once');
  return logs;
}

const wsURL = () => server.baseURL.replace(/^http/, 'ws') + '/query';

test('graphql-ws receives new logs and resumes from a cursor', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = createWSClient({ url: wsURL(), webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${TOKEN}` } });
  try {
    const subscribedAt = new Date(Date.now() - 1000).toISOString();
    const results = await take(client.iterate({ query: TAIL }), 2);
    const first = checkLogs(results);
    assert.ok(first[0].createdAt >= subscribedAt, `${first[0].createdAt}: a log from before the subscription`);
    // Resuming from the first event's cursor, after more logs came: the
    // second log comes first again (nothing missed), nothing before it.
    await new Promise((r) => setTimeout(r, 4_000));
    const resumed = checkLogs(await take(client.iterate({ query: TAIL, variables: { after: results[0].extensions.cursor } }), 3));
    assert.equal(resumed[0].logId, first[1].logId);
    assert.ok(resumed[2].createdAt > first[1].createdAt);
  } finally {
    await client.dispose();
  }
});

test('graphql-ws with a credential sent empty is closed with 4401, not retried', { timeout: TEST_TIMEOUT_MS }, async () => {
  const closes = [];
  const client = createWSClient({
    url: wsURL(), webSocketImpl: WebSocket, connectionParams: { Authorization: '' },
    on: { closed: (event) => closes.push(event.code) },
  });
  try {
    await assert.rejects(take(client.iterate({ query: TAIL }), 1), (err) => err.code === 4401);
    assert.deepEqual(closes, [4401]);
  } finally {
    await client.dispose();
  }
});

test('graphql-sse receives new logs; without a credential it is refused with 401', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = createSSEClient({ url: `${server.baseURL}/query`, headers: { Authorization: `Bearer ${TOKEN}` }, retryAttempts: 0 });
  try {
    checkLogs(await take(client.iterate({ query: TAIL }), 2));
  } finally {
    client.dispose();
  }
  const refused = createSSEClient({ url: `${server.baseURL}/query`, headers: { Authorization: '' }, retryAttempts: 0 });
  try {
    await assert.rejects(take(refused.iterate({ query: TAIL }), 1), (err) => err.response?.status === 401);
  } finally {
    refused.dispose();
  }
});
