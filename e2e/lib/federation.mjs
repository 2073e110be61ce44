// Helpers of the federation e2e tests: composing with both composers, a
// second subgraph on a loopback port that records what it is sent, and a
// GraphQL POST that returns errors instead of throwing on them.

import assert from 'node:assert/strict';
import { Kind, parse } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices as apolloCompose } from '@apollo/composition';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { REQUEST_TIMEOUT_MS } from './server.mjs';

// Apollo hands over variables and references as null-prototype objects.
export const plain = (x) => JSON.parse(JSON.stringify(x));

// A logger that keeps warnings and errors only.
export const quiet = {
  debug() {},
  info() {},
  warn: (...a) => console.warn(...a),
  error: (...a) => console.error(...a),
};

// The prefix of every GraphQL type that is ours alone.
export const OUR_PREFIX = 'AIGateway';

/**
 * POSTs a GraphQL request and resolves with { status, body } whatever the
 * body holds: the tests read errors as a client would.
 */
export async function postRaw(url, query, variables = {}, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`POST ${url} answered ${res.status} with no JSON: ${text.slice(0, 500)}`);
  }
  return { status: res.status, body };
}

/**
 * Composes the services ({ name, typeDefs (SDL text), url }) with
 * @apollo/composition and with @theguild/federation-composition. Resolves
 * with { apollo, guild }, each composeServices' own result.
 */
export function composeBoth(services) {
  const defs = services.map((s) => ({ ...s, typeDefs: parse(s.typeDefs) }));
  return { apollo: apolloCompose(defs), guild: guildCompose(defs) };
}

// A composition's errors as "CODE message" lines, for assertion messages.
export const errorLines = (result) => (result.errors ?? []).map((e) => `${e.extensions?.code} ${e.message}`);

// The error codes of a composition, sorted and without repeats.
export const errorCodes = (result) => [...new Set((result.errors ?? []).map((e) => e.extensions?.code))].sort();

/**
 * The fields (or input fields, or enum values) of each named type of an SDL
 * whose name passes keep, as { TypeName: ['field', …] } with sorted names.
 */
export function typeMembers(sdl, keep) {
  const out = {};
  for (const def of parse(sdl).definitions) {
    if (!def.name || !keep(def.name.value)) continue;
    if (def.kind === Kind.OBJECT_TYPE_DEFINITION || def.kind === Kind.INTERFACE_TYPE_DEFINITION || def.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      out[def.name.value] = [...(out[def.name.value] ?? []), ...def.fields.map((f) => f.name.value)].sort();
    } else if (def.kind === Kind.ENUM_TYPE_DEFINITION) {
      out[def.name.value] = def.values.map((v) => v.name.value).sort();
    }
  }
  return out;
}

/**
 * Starts a subgraph built with @apollo/subgraph behind @apollo/server on a
 * loopback port. Every request it gets is recorded in `requests` as
 * { headers, query, variables } (headers with lower-case names), so a test
 * can tell what a gateway sent it. Resolves with { url, requests, stop() }.
 */
export async function startSubgraph({ typeDefs, resolvers }) {
  const requests = [];
  const server = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers }), logger: quiet });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context: async ({ req }) => {
      requests.push({ headers: { ...req.headers }, query: req.body?.query, variables: plain(req.body?.variables ?? {}) });
      return {};
    },
  });
  return { url, requests, stop: () => server.stop() };
}

/**
 * Fetches a server's subgraph SDL through `{ _service { sdl } }` and checks
 * that it is one.
 */
export async function fetchSDL(baseURL) {
  const { body } = await postRaw(`${baseURL}/query`, '{ _service { sdl } }');
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  const sdl = body.data._service.sdl;
  assert.match(sdl, /@link\(\s*url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+"/);
  return sdl;
}

// The one error of a GraphQL answer, with a message that shows the answer.
export function onlyError(body) {
  assert.equal(body.errors?.length, 1, `one error expected: ${JSON.stringify(body)}`);
  return body.errors[0];
}

/**
 * Starts @apollo/gateway over a supergraph behind @apollo/server on a
 * loopback port. Every request it sends a subgraph is pushed onto calls as
 * { subgraph, query, variables }, so a test can tell which subgraph
 * resolved what. Resolves with { server, url }.
 */
export async function startRecordingGateway(supergraphSdl, calls) {
  const apolloGateway = new ApolloGateway({
    supergraphSdl,
    logger: quiet,
    buildService: ({ name, url }) =>
      new RemoteGraphQLDataSource({
        url,
        // Node's own fetch, bounded: nothing but loopback, no retries, no proxy.
        fetcher: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
        willSendRequest({ request }) {
          calls.push({ subgraph: name, query: request.query, variables: plain(request.variables ?? {}) });
        },
      }),
  });
  const server = new ApolloServer({ gateway: apolloGateway, logger: quiet });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
  return { server, url };
}
