// End-to-end check that a Relay client can be built on the schema the
// service really serves, and that the queries Relay generates work on it.
//
// 1. builds the Go server once and starts it in -demo mode on a free port
//    (lib/server.mjs, shared with the other e2e tests);
// 2. fetches the served schema by introspection and prints it as SDL;
// 3. compiles a small Relay project (a @connection pagination fragment on
//    AIGateway, a @refetchable fragment on AIGatewayLog, a query using them) with the
//    relay-compiler binary from node_modules, plus a negative control that
//    must fail (@refetchable on types that are not Nodes);
// 4. runs the generated pagination query (it refetches via `node(id:)`)
//    against the live server and follows its cursors; and the same for a
//    @connection on account.logs, a walk across gateways (a @refetchable
//    fragment on Query: the account is not a Node).
//
// Run: cd e2e && npm ci && npm test

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  buildClientSchema,
  getIntrospectionQuery,
  isInterfaceType,
  isObjectType,
  printSchema,
} from 'graphql';
import { E2E_DIR, REQUEST_TIMEOUT_MS, START_TIMEOUT_MS, startServer } from './lib/server.mjs';

const execFileP = promisify(execFile);

const RELAY_BIN = path.join(E2E_DIR, 'node_modules', '.bin', 'relay-compiler');

const RELAY_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 120_000;

let server; // the running gqlfacade (lib/server.mjs)
let tmpDir; // the server's temp dir; also holds the Relay projects
let baseURL;

before(async () => {
  server = await startServer();
  ({ tmpDir, baseURL } = server);
}, { timeout: START_TIMEOUT_MS });

after(async () => {
  await server?.stop();
});

// ---------------------------------------------------------------- helpers

async function graphqlRequest(query, variables = {}) {
  const res = await fetch(`${baseURL}/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `POST /query answered ${res.status}: ${text}`);
  const body = JSON.parse(text);
  assert.equal(body.errors, undefined, `GraphQL errors: ${JSON.stringify(body.errors)}`);
  assert.ok(body.data, `no data in ${text}`);
  return body.data;
}

// The served schema as SDL, fetched once.
let sdlPromise;
function servedSDL() {
  sdlPromise ??= (async () => {
    const data = await graphqlRequest(getIntrospectionQuery());
    const schema = buildClientSchema(data);
    return { schema, sdl: printSchema(schema) };
  })();
  return sdlPromise;
}

const APP_JS = `import { graphql } from 'react-relay';

export const AppQuery = graphql\`
  query AppQuery {
    gateway(gatewayId: "prod-chat") {
      ...GatewayLogs_gateway
    }
  }
\`;
`;

const GATEWAY_LOGS_JS = `import { graphql } from 'react-relay';

export const GatewayLogsFragment = graphql\`
  fragment GatewayLogs_gateway on AIGateway
    @refetchable(queryName: "GatewayLogsPaginationQuery")
    @argumentDefinitions(count: {type: "Int", defaultValue: 20}, cursor: {type: "String"}) {
    logs(first: $count, after: $cursor) @connection(key: "GatewayLogs_logs") {
      edges { node { id logId provider model createdAt } }
    }
  }
\`;
`;

// A walk across gateways as a Relay pagination fragment: AIGatewayAccount is
// not a Node, so the fragment is on Query, which Relay refetches as is.
const ACCOUNT_LOGS_JS = `import { graphql } from 'react-relay';

export const AccountLogsFragment = graphql\`
  fragment AccountLogs_query on Query
    @refetchable(queryName: "AccountLogsPaginationQuery")
    @argumentDefinitions(
      count: {type: "Int", defaultValue: 20}
      cursor: {type: "String"}
      gatewayIds: {type: "[ID!]"}
    ) {
    account {
      logs(gatewayIds: $gatewayIds, first: $count, after: $cursor)
        @connection(key: "AccountLogs_logs", filters: ["gatewayIds"]) {
        totalCount
        edges { node { id logId createdAt gateway { gatewayId } } }
      }
    }
  }
\`;

export const AccountAppQuery = graphql\`
  query AccountAppQuery($gatewayIds: [ID!]) {
    ...AccountLogs_query @arguments(gatewayIds: $gatewayIds)
  }
\`;
`;

const LOG_ROW_JS = `import { graphql } from 'react-relay';

export const LogRowFragment = graphql\`
  fragment LogRow_log on AIGatewayLog @refetchable(queryName: "LogRowRefetchQuery") {
    logId
    provider
    cost
  }
\`;
`;

// Neither PageInfo nor AIGatewayLogConnection implements Node, so Relay cannot know
// how to refetch them: both fragments must be rejected.
const NOT_NODE_JS = `import { graphql } from 'react-relay';

export const PageInfoFragment = graphql\`
  fragment NotNode_pageInfo on PageInfo @refetchable(queryName: "NotNodePageInfoRefetchQuery") {
    endCursor
  }
\`;

export const ConnectionFragment = graphql\`
  fragment NotNode_connection on AIGatewayLogConnection @refetchable(queryName: "NotNodeConnectionRefetchQuery") {
    totalCount
  }
\`;
`;

// Writes a Relay project (schema, config, sources) into a new directory.
async function writeRelayProject(name, sources) {
  const { sdl } = await servedSDL();
  const dir = path.join(tmpDir, name);
  await fs.mkdir(path.join(dir, 'src'), { recursive: true });
  await fs.writeFile(path.join(dir, 'schema.graphql'), sdl);
  // The artifacts are ES modules (`export default`): let Node import them.
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }, null, 2));
  await fs.writeFile(
    path.join(dir, 'relay.config.json'),
    JSON.stringify({ src: './src', schema: './schema.graphql', language: 'javascript' }, null, 2),
  );
  for (const [file, text] of Object.entries(sources)) {
    await fs.writeFile(path.join(dir, 'src', file), text);
  }
  return dir;
}

// Runs relay-compiler in dir; resolves with its exit code and output
// (colour codes stripped), never rejects on a non-zero exit.
function runRelay(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn(RELAY_BIN, ['relay.config.json', '--noWatchman'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), RELAY_TIMEOUT_MS);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // eslint-disable-next-line no-control-regex
      resolve({ code, signal, output: output.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

// The valid project, compiled once.
let compiledPromise;
function compiledProject() {
  compiledPromise ??= (async () => {
    const dir = await writeRelayProject('relay-app', {
      'App.js': APP_JS,
      'GatewayLogs.js': GATEWAY_LOGS_JS,
      'LogRow.js': LOG_ROW_JS,
      'AccountLogs.js': ACCOUNT_LOGS_JS,
    });
    const result = await runRelay(dir);
    return { dir, generated: path.join(dir, 'src', '__generated__'), ...result };
  })();
  return compiledPromise;
}

async function loadArtifact(generated, name) {
  const file = path.join(generated, `${name}.graphql.js`);
  assert.ok(existsSync(file), `missing artifact ${file}`);
  const mod = await import(pathToFileURL(file).href);
  return mod.default;
}

// ---------------------------------------------------------------- tests

test('relay-compiler from node_modules runs here', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { stdout } = await execFileP(RELAY_BIN, ['--version'], { timeout: RELAY_TIMEOUT_MS });
  assert.match(stdout, /Relay Compiler \d+\.\d+\.\d+/);
});

test('the served schema introspects to SDL with Relay-style Node types', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { schema, sdl } = await servedSDL();
  const node = schema.getType('Node');
  assert.ok(isInterfaceType(node), 'Node is an interface');
  assert.deepEqual(Object.keys(node.getFields()), ['id']);
  assert.equal(String(node.getFields().id.type), 'ID!');
  assert.equal(String(schema.getQueryType().getFields().node.type), 'Node');
  for (const name of ['AIGateway', 'AIGatewayLog']) {
    const type = schema.getType(name);
    assert.ok(isObjectType(type), `${name} is an object type`);
    assert.ok(type.getInterfaces().includes(node), `${name} implements Node`);
  }
  for (const name of ['PageInfo', 'AIGatewayLogConnection']) {
    assert.ok(!schema.getType(name).getInterfaces().includes(node), `${name} does not implement Node`);
  }
  assert.match(sdl, /type AIGateway implements Node/);
});

test('relay-compiler compiles the pagination and refetch fragments', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { code, signal, output, generated } = await compiledProject();
  assert.equal(code, 0, `relay-compiler exited ${code ?? signal}:\n${output}`);
  for (const name of [
    'AppQuery',
    'GatewayLogs_gateway',
    'GatewayLogsPaginationQuery',
    'LogRow_log',
    'LogRowRefetchQuery',
    'AccountLogs_query',
    'AccountLogsPaginationQuery',
    'AccountAppQuery',
  ]) {
    assert.ok(existsSync(path.join(generated, `${name}.graphql.js`)), `${name}.graphql.js was generated\n${output}`);
  }

  const pagination = await loadArtifact(generated, 'GatewayLogsPaginationQuery');
  assert.equal(pagination.kind, 'Request');
  assert.match(pagination.params.text, /node\(id: \$id\)/);
  assert.match(pagination.params.text, /logs\(first: \$count, after: \$cursor\)/);

  const refetch = await loadArtifact(generated, 'LogRowRefetchQuery');
  assert.equal(refetch.kind, 'Request');
  assert.match(refetch.params.text, /node\(id: \$id\)/);
});

test('relay-compiler rejects @refetchable on types that are not Nodes (negative control)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const dir = await writeRelayProject('relay-not-node', {
    'GatewayLogs.js': GATEWAY_LOGS_JS,
    'NotNode.js': NOT_NODE_JS,
  });
  const { code, signal, output } = await runRelay(dir);
  assert.notEqual(code, 0, `relay-compiler must fail, exited ${code ?? signal}:\n${output}`);
  assert.match(output, /Invalid use of @refetchable on fragment 'NotNode_pageInfo'/, output);
  assert.match(output, /Invalid use of @refetchable on fragment 'NotNode_connection'/, output);
  assert.ok(!existsSync(path.join(dir, 'src', '__generated__', 'NotNodePageInfoRefetchQuery.graphql.js')));
});

test('the generated pagination query pages through the live server via node(id:)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { code, output, generated } = await compiledProject();
  assert.equal(code, 0, `relay-compiler failed:\n${output}`);
  const app = await loadArtifact(generated, 'AppQuery');
  const pagination = await loadArtifact(generated, 'GatewayLogsPaginationQuery');
  const refetch = await loadArtifact(generated, 'LogRowRefetchQuery');

  // The gateway's global id, as a Relay app reads it from AppQuery (Relay
  // adds `id` to the operation text of every Node it selects).
  const appData = await graphqlRequest(app.params.text);
  const gatewayId = appData.gateway?.id;
  assert.equal(typeof gatewayId, 'string');
  assert.ok(gatewayId.length > 0);
  assert.ok(appData.gateway.logs.edges.length > 0, 'prod-chat has logs');

  const checkPage = (data, label) => {
    assert.equal(data.node?.__typename, 'AIGateway', `${label}: node(id:) resolves to the AIGateway`);
    assert.equal(data.node.id, gatewayId, `${label}: same gateway id`);
    const { edges, pageInfo } = data.node.logs;
    assert.equal(edges.length, 3, `${label}: 3 edges`);
    for (const edge of edges) {
      assert.equal(typeof edge.cursor, 'string', `${label}: edge has a cursor`);
      assert.ok(edge.cursor.length > 0, `${label}: cursor is not empty`);
      assert.equal(edge.node.__typename, 'AIGatewayLog');
      assert.equal(typeof edge.node.id, 'string');
      assert.equal(typeof edge.node.logId, 'string');
      assert.equal(typeof edge.node.provider, 'string');
      assert.equal(typeof edge.node.model, 'string');
      assert.ok(!Number.isNaN(Date.parse(edge.node.createdAt)), `${label}: createdAt is a date`);
    }
    assert.equal(new Set(edges.map((e) => e.node.id)).size, 3, `${label}: distinct logs`);
    assert.equal(pageInfo.endCursor, edges.at(-1).cursor, `${label}: endCursor is the last edge's cursor`);
    return data.node.logs;
  };

  const first = checkPage(await graphqlRequest(pagination.params.text, { count: 3, id: gatewayId }), 'page 1');
  assert.equal(first.pageInfo.hasNextPage, true, 'page 1 has a next page');

  const second = checkPage(
    await graphqlRequest(pagination.params.text, { count: 3, cursor: first.pageInfo.endCursor, id: gatewayId }),
    'page 2',
  );
  const firstIds = new Set(first.edges.map((e) => e.node.logId));
  for (const edge of second.edges) {
    assert.ok(!firstIds.has(edge.node.logId), `page 2 log ${edge.node.logId} is not on page 1`);
  }
  // Newest first: page 2 starts no later than page 1 ends.
  assert.ok(
    Date.parse(second.edges[0].node.createdAt) <= Date.parse(first.edges.at(-1).node.createdAt),
    'page 2 continues where page 1 ended',
  );

  // The AIGatewayLog fragment's refetch query works on a log's global id too.
  const log = first.edges[0].node;
  const refetched = await graphqlRequest(refetch.params.text, { id: log.id });
  assert.equal(refetched.node?.__typename, 'AIGatewayLog');
  assert.equal(refetched.node.id, log.id);
  assert.equal(refetched.node.logId, log.logId);
  assert.equal(refetched.node.provider, log.provider);
});

test('the generated pagination query walks account.logs across gateways on the live server', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { code, output, generated } = await compiledProject();
  assert.equal(code, 0, `relay-compiler failed:\n${output}`);
  const pagination = await loadArtifact(generated, 'AccountLogsPaginationQuery');
  assert.match(pagination.params.text, /logs\(gatewayIds: \$gatewayIds, first: \$count, after: \$cursor\)/);
  const gatewayIds = ['prod-chat', 'staging', 'batch-jobs'];

  // Three pages of 5, each from the previous page's end cursor.
  const pages = [];
  let cursor = null;
  for (let i = 0; i < 3; i++) {
    const data = await graphqlRequest(pagination.params.text, { count: 5, cursor, gatewayIds });
    const conn = data.account.logs;
    assert.equal(conn.edges.length, 5, `page ${i + 1}: 5 edges`);
    assert.equal(conn.pageInfo.hasNextPage, true, `page ${i + 1} has a next page`);
    assert.equal(conn.pageInfo.endCursor, conn.edges.at(-1).cursor);
    pages.push(conn);
    cursor = conn.pageInfo.endCursor;
  }
  const walked = pages.flatMap((p) => p.edges.map((e) => `${e.node.gateway.gatewayId}/${e.node.logId}`));
  assert.equal(new Set(walked).size, 15, 'no log twice');
  assert.ok(new Set(walked.map((w) => w.split('/')[0])).size > 1, `one list of several gateways: ${walked}`);
  const times = pages.flatMap((p) => p.edges.map((e) => Date.parse(e.node.createdAt)));
  for (let i = 1; i < times.length; i++) {
    assert.ok(times[i] <= times[i - 1], `newest first across pages, at ${i}`);
  }
  // Pages 2 and 3 are exactly the 10 logs after page 1's end, in one page:
  // the walk is pinned to its snapshot, although the demo keeps logging.
  const rest = await graphqlRequest(pagination.params.text, { count: 10, cursor: pages[0].pageInfo.endCursor, gatewayIds });
  assert.deepEqual(
    rest.account.logs.edges.map((e) => `${e.node.gateway.gatewayId}/${e.node.logId}`),
    walked.slice(5),
  );
  assert.equal(pages[0].totalCount, pages[2].totalCount, 'one walk, one total');
});
