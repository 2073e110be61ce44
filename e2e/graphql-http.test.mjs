// The GraphQL-over-HTTP audit suite of the npm package graphql-http, run
// against the live service: every MUST and SHOULD audit must pass; a MAY
// that does not is reported (there is none today).
//
// It runs twice: as the suite sends its requests (POST, and a few GETs),
// and with each POST that can be a GET sent as one — the same audits of
// media types, statuses and the data entry, over GET.
//
// Run: cd e2e && npm ci && npm test

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { auditServer } from 'graphql-http';
import { REQUEST_TIMEOUT_MS, START_TIMEOUT_MS, startServer } from './lib/server.mjs';

let server;
let url;

before(async () => {
  server = await startServer();
  url = `${server.baseURL}/query`;
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await server?.stop();
});

function timedFetch(input, init = {}) {
  return fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A POST of a JSON request object that a GET can carry (a string query;
 * operationName a string or null; variables and extensions objects or
 * null) as that GET, with the same Accept; any other request as it is.
 * `converted` counts the requests sent over GET.
 */
function overGET() {
  const fetchFn = (input, init = {}) => {
    const headers = new Headers(init.headers);
    let params;
    if (init.method === 'POST' && headers.get('content-type')?.startsWith('application/json')) {
      try {
        params = JSON.parse(init.body);
      } catch {
        params = undefined;
      }
    }
    const convertible =
      isObject(params) &&
      typeof params.query === 'string' &&
      (params.operationName == null || typeof params.operationName === 'string') &&
      (params.variables == null || isObject(params.variables)) &&
      (params.extensions == null || isObject(params.extensions)) &&
      Object.keys(params).every((k) => ['query', 'operationName', 'variables', 'extensions'].includes(k));
    if (!convertible) return timedFetch(input, init);
    fetchFn.converted++;
    const target = new URL(input);
    target.searchParams.set('query', params.query);
    if (params.operationName != null) target.searchParams.set('operationName', params.operationName);
    if (params.variables != null) target.searchParams.set('variables', JSON.stringify(params.variables));
    if (params.extensions != null) target.searchParams.set('extensions', JSON.stringify(params.extensions));
    const getHeaders = new Headers();
    if (headers.has('accept')) getHeaders.set('accept', headers.get('accept'));
    return timedFetch(target, { method: 'GET', headers: getHeaders });
  };
  fetchFn.converted = 0;
  return fetchFn;
}

/** The requirement level of an audit: MUST, SHOULD or MAY ("MAY NOT" is a MAY). */
const levelOf = (audit) => audit.name.split(' ')[0];

/** Runs the suite; asserts that every MUST and SHOULD passes; returns the counts. */
async function runAudits(t, fetchFn) {
  const results = await auditServer({ url, fetchFn });
  const counts = {};
  const failed = [];
  for (const r of results) {
    const level = levelOf(r);
    counts[level] ??= { passed: 0, of: 0 };
    counts[level].of++;
    if (r.status === 'ok') counts[level].passed++;
    else failed.push(`${level} ${r.id} "${r.name}": ${r.reason}`);
  }
  for (const line of failed) t.diagnostic(`not passed: ${line}`);
  t.diagnostic(`passed: ${JSON.stringify(counts)}`);
  const required = failed.filter((f) => f.startsWith('MUST') || f.startsWith('SHOULD'));
  assert.deepEqual(required, [], 'MUST and SHOULD audits that did not pass');
  assert.ok(counts.MUST?.of >= 13 && counts.SHOULD?.of >= 20, `the suite ran fewer audits than graphql-http 1.23.1 has: ${JSON.stringify(counts)}`);
  return counts;
}

test('graphql-http audits, as the suite sends them', { timeout: 120_000 }, async (t) => {
  await runAudits(t, timedFetch);
});

test('graphql-http audits, each POST that can be a GET sent over GET', { timeout: 120_000 }, async (t) => {
  const fetchFn = overGET();
  await runAudits(t, fetchFn);
  t.diagnostic(`requests sent over GET: ${fetchFn.converted}`);
  assert.ok(fetchFn.converted >= 20, `only ${fetchFn.converted} requests went over GET`);
});
