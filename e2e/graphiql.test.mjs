// End-to-end check of GraphiQL at `/` in a real browser that can reach
// nothing but the service (no CDN is reachable here, nor in air-gapped
// deployments):
//
// 1. builds and starts the Go server in -demo mode (lib/server.mjs) with no
//    GraphiQL setting: the page must load the copies of graphiql, react and
//    react-dom built into the binary;
// 2. checks in Node that the page references only this server, with
//    integrity attributes, that each served file hashes to its attribute,
//    and that the favicon is served;
// 3. drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser)
//    with playwright-core, every request to another origin aborted: the page
//    loads, the documentation explorer shows the schema (fetched by
//    introspection), a typed query runs and its result appears; any page
//    error, console error, failed request or attempt to reach another origin
//    fails the test; a screenshot goes to artifacts/graphiql.png;
// 4. types a Cloudflare token into the headers pane and runs a query with
//    it: nothing of it may be left in the browser's storage, nor come back
//    after a reload, and headers an earlier page stored are dropped; with
//    -graphiql-persist-headers (a second server) they are kept, which shows
//    that the check can see them;
// 5. negative control: a tampered asset must be refused by the browser's SRI
//    check, so the passing run above means SRI really passed.
//
// Run: cd e2e && npm ci && npm test   (needs: apt-get install -y chromium)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { E2E_DIR, REQUEST_TIMEOUT_MS, START_TIMEOUT_MS, startServer } from './lib/server.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ASSET_BASE = '/graphiql-assets';
const ARTIFACTS_DIR = path.join(E2E_DIR, 'artifacts');
const LAUNCH_TIMEOUT_MS = 30_000;
const UI_TIMEOUT_MS = 30_000; // a step on a busy 2-core machine running the e2e files side by side
const TEST_TIMEOUT_MS = 120_000;
const ULID = /"logId":\s*"[0-9A-HJKMNP-TV-Z]{26}"/;
// The simulated upstream's token: a query sent with it succeeds.
const TOKEN = 'cfsim-demo-token';
// Whatever GraphiQL settings the environment has, the servers run with the
// ones each test names.
const NO_GRAPHIQL_ENV = { GRAPHIQL_ASSETS_DIR: '', GRAPHIQL_ASSET_BASE_URL: '', GRAPHIQL_PERSIST_HEADERS: '' };

let server; // lib/server.mjs, every setting at its default
let persisting; // the same with -graphiql-persist-headers
let userDataDir; // a fresh Chromium profile
let context; // the browser (a persistent context owns its browser process)
const offOrigin = []; // requests the browser tried to send elsewhere

before(async () => {
  [server, persisting] = await Promise.all([
    startServer({ env: NO_GRAPHIQL_ENV }),
    startServer({ env: NO_GRAPHIQL_ENV, args: ['-graphiql-persist-headers'] }),
  ]);
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's with 'apt-get update && apt-get install -y chromium' (or set CHROMIUM_PATH)`);
  }
  userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gqlfacade-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: LAUNCH_TIMEOUT_MS,
    viewport: { width: 1440, height: 900 },
  });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(UI_TIMEOUT_MS);
  // As on a machine without internet, only the services answer.
  const allowed = new Set([new URL(server.baseURL).origin, new URL(persisting.baseURL).origin]);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.has(new URL(url).origin)) return route.continue();
    offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
}, { timeout: START_TIMEOUT_MS + LAUNCH_TIMEOUT_MS });

after(async () => {
  await context?.close().catch((err) => console.error('browser close:', err));
  if (userDataDir) await fs.rm(userDataDir, { recursive: true, force: true });
  await Promise.all([server?.stop(), persisting?.stop()]);
});

// ---------------------------------------------------------------- helpers

const decodeEntities = (s) =>
  s.replace(/&#(x?)([0-9a-f]+);/gi, (_, hex, n) => String.fromCodePoint(parseInt(n, hex ? 16 : 10))).replace(/&amp;/g, '&');

// The page's <script>/<link> tags that carry an integrity attribute.
function integrityRefs(html) {
  const refs = [];
  for (const [, attrs] of html.matchAll(/<(?:script|link)\b([^>]*)>/g)) {
    const integrity = attrs.match(/\bintegrity="([^"]*)"/)?.[1];
    if (integrity === undefined) continue;
    const url = attrs.match(/\b(?:src|href)="([^"]*)"/)?.[1];
    refs.push({ url: decodeEntities(url ?? ''), integrity: decodeEntities(integrity), crossorigin: /\bcrossorigin="anonymous"/.test(attrs) });
  }
  return refs;
}

const get = (url) => fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

async function pageHTML(baseURL) {
  const res = await get(`${baseURL}/`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  return res.text();
}

// Watches a page for everything that must not happen; problems() lists it.
function watch(page, origin) {
  const problems = [];
  const requests = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('request', (req) => {
    requests.push(req);
    const url = req.url();
    if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== origin) {
      problems.push(`request off this host: ${url}`);
    }
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}: ${req.failure()?.errorText}`));
  page.on('response', async (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} for ${res.url()}`);
    if (res.request().method() === 'POST' && new URL(res.url()).pathname === '/query') {
      const body = await res.text().catch(() => '');
      if (body.includes('"errors"')) problems.push(`GraphQL errors from /query: ${body.slice(0, 500)}`);
    }
  });
  return { problems, requests };
}

// The text of the CodeMirror editor inside the element matching selector.
const editorValue = (page, selector) =>
  page.evaluate((sel) => document.querySelector(`${sel} .CodeMirror`)?.CodeMirror?.getValue() ?? null, selector);

const HEADERS_EDITOR = 'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)';

// Replaces the text of a CodeMirror editor as a user pasting it would.
async function replaceText(page, selector, text) {
  await page.locator(`${selector} .CodeMirror`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(text);
}

// Everything the origin's page keeps in the browser's storage.
const storedText = (page) =>
  page.evaluate(() =>
    [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`)).join('\n'),
  );

async function screenshot(page, name) {
  await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: true, timeout: UI_TIMEOUT_MS });
  return file;
}

// Opens GraphiQL at baseURL, types the token into the headers pane and a
// query, runs it and, unless told not to, waits until GraphiQL has stored
// its tabs, which it does after the headers were typed.
// Returns the request sent.
async function runQueryWithToken(page, baseURL, { waitForStoredState = true } = {}) {
  await page.goto(`${baseURL}/`, { waitUntil: 'load' });
  await page.waitForSelector('.graphiql-container');
  await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
  await replaceText(page, HEADERS_EDITOR, JSON.stringify({ Authorization: `Bearer ${TOKEN}` }));
  assert.match(await editorValue(page, HEADERS_EDITOR), new RegExp(TOKEN));
  const query = 'query PersistCheck { logs(gatewayId: "prod-chat", first: 1) { totalCount } }';
  await replaceText(page, '.graphiql-query-editor', query);
  const sent = page.waitForRequest((r) => r.method() === 'POST' && /PersistCheck/.test(r.postData() ?? '') && !/__schema/.test(r.postData() ?? ''));
  await page.getByRole('button', { name: /^Execute query/ }).click();
  const request = await sent;
  await page.locator('.graphiql-response').getByText('"totalCount"').first().waitFor();
  if (waitForStoredState) {
    // The tabs' state is written (debounced) after the headers and the
    // query were typed. GraphiQL's history ('graphiql:queries') is not
    // waited for: on a busy machine it was once not written within 30 s.
    await page.waitForFunction(() => (localStorage.getItem('graphiql:tabState') ?? '').includes('PersistCheck'));
  }
  return request;
}

// ---------------------------------------------------------------- tests

test('the page references only assets of this server, each matching its integrity attribute, and a favicon', { timeout: TEST_TIMEOUT_MS }, async () => {
  const html = await pageHTML(server.baseURL);
  assert.ok(!html.includes('cdn.jsdelivr.net'), 'the page still references the CDN');
  const refs = integrityRefs(html);
  assert.equal(refs.length, 4, 'react, react-dom, graphiql.css, graphiql.js');
  for (const { url, integrity, crossorigin } of refs) {
    assert.ok(url.startsWith(`${ASSET_BASE}/`), `${url} is served by the service`);
    assert.match(integrity, /^sha256-[A-Za-z0-9+/]{43}=$/, `${url}: integrity attribute`);
    assert.ok(crossorigin, `${url}: crossorigin="anonymous" kept`);
    const asset = await get(new URL(url, server.baseURL));
    assert.equal(asset.status, 200, `${url}: status`);
    assert.equal(asset.headers.get('content-type'), url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('x-content-type-options'), 'nosniff');
    const digest = 'sha256-' + createHash('sha256').update(Buffer.from(await asset.arrayBuffer())).digest('base64');
    assert.equal(digest, integrity, `${url}: served bytes match the page's integrity attribute`);
  }
  const icon = html.match(/<link rel="icon"[^>]*href="([^"]*)"/)?.[1];
  assert.equal(icon, '/favicon.ico', 'the page links its favicon');
  const res = await get(new URL(icon, server.baseURL));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  assert.match(await res.text(), /^<svg\b/);
  // Nothing but asset files, and nothing outside the folder.
  const graphiql = refs.find((r) => r.url.endsWith('.js') && r.url.includes('/graphiql@')).url.split('/')[2];
  for (const bad of [`${graphiql}/LICENSE`, `${graphiql}/package.json`, '..%2fgo.mod', `${graphiql}/..%2f..%2fgo.mod`, 'graphiql@9.9.9/graphiql.min.js']) {
    const r = await get(`${server.baseURL}${ASSET_BASE}/${bad}`);
    await r.arrayBuffer();
    assert.equal(r.status, 404, `${bad} is not served`);
  }
});

test('the browser reaches nothing but the service', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${server.baseURL}/healthz`);
    const outcome = await page.evaluate((u) => fetch(u).then(() => 'reached', () => 'blocked'), 'https://cdn.jsdelivr.net/npm/react@18.2.0/package.json');
    assert.equal(outcome, 'blocked');
    assert.ok(offOrigin.includes('https://cdn.jsdelivr.net/npm/react@18.2.0/package.json'));
  } finally {
    await page.close();
  }
});

test('GraphiQL loads in Chromium without the internet, shows the schema docs and runs a typed query', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  const { origin } = new URL(server.baseURL);
  const { problems, requests } = watch(page, origin);
  const offOriginBefore = offOrigin.length;
  await fs.rm(path.join(ARTIFACTS_DIR, 'graphiql-failure.png'), { force: true }); // from an earlier run
  try {
    const res = await page.goto(`${server.baseURL}/`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);
    const refs = await page.evaluate(() => [...document.querySelectorAll('script[integrity], link[integrity]')].map((e) => new URL(e.src || e.href).pathname));

    // The scripts ran (a script refused by SRI would not) and the style
    // sheet applied.
    await page.waitForSelector('.graphiql-container');
    const loaded = await page.evaluate(() => ({
      graphiql: typeof window.GraphiQL,
      react: typeof window.React,
      reactDOM: typeof window.ReactDOM,
      sheets: [...document.styleSheets].filter((s) => s.href && s.cssRules.length > 0).map((s) => new URL(s.href).pathname),
    }));
    assert.deepEqual(loaded, {
      graphiql: 'function',
      react: 'object',
      reactDOM: 'object',
      sheets: refs.filter((p) => p.endsWith('.css')),
    });
    for (const url of refs) {
      assert.ok(url.startsWith(`${ASSET_BASE}/`), `${url} comes from the service`);
      assert.ok(requests.some((r) => new URL(r.url()).pathname === url), `the browser loaded ${url}`);
    }

    // The documentation explorer, from the schema GraphiQL introspected.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Root Types').waitFor();
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await docs.getByText('The entry points of the API.').waitFor();
    await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^logs$/ }).first().click();
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^AIGatewayLogConnection$/ }).first().waitFor();
    const introspections = requests.filter((r) => r.method() === 'POST' && new URL(r.url()).pathname === '/query' && /__schema/.test(r.postData() ?? ''));
    assert.ok(introspections.length > 0, 'GraphiQL introspected the schema through /query');

    // Type a query into the editor (one line: Enter would pick an
    // autocompletion) and run it with the run button.
    const query = '{ logs(gatewayId: "prod-chat", first: 3) { totalCount edges { cursor node { logId provider model } } } }';
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type(query, { delay: 5 });
    await page.keyboard.press('Escape'); // close an autocompletion popup, if one is open
    const typed = await editorValue(page, '.graphiql-query-editor');
    assert.equal(typed?.replace(/\s+/g, ' ').trim(), query, 'the editor holds the typed query');
    await page.getByRole('button', { name: /^Prettify query/ }).click(); // for the screenshot
    await page.waitForFunction(() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.lineCount() > 1);
    await page.getByRole('button', { name: /^Execute query/ }).click();

    const response = page.locator('.graphiql-response');
    await response.getByText('"totalCount"').first().waitFor();
    const text = await editorValue(page, '.graphiql-response');
    const result = JSON.parse(text);
    assert.equal(result.errors, undefined, `the query failed: ${text}`);
    assert.ok(result.data.logs.totalCount > 0);
    assert.equal(result.data.logs.edges.length, 3);
    assert.match(text, ULID);
    assert.match(await response.innerText(), ULID, 'a log id is visible in the result pane');

    const file = await screenshot(page, 'graphiql.png');
    assert.ok((await fs.stat(file)).size > 10_000, 'screenshot written');
    assert.deepEqual(problems, []);
    assert.deepEqual(offOrigin.slice(offOriginBefore), [], 'the page tried to reach another origin');
  } catch (err) {
    await screenshot(page, 'graphiql-failure.png').catch(() => {});
    err.message += problems.length ? `\nalso seen in the browser:\n${problems.join('\n')}` : '';
    throw err;
  } finally {
    await page.close();
  }
});

test('a token typed into the headers pane is used but not kept in the browser', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  const { problems } = watch(page, new URL(server.baseURL).origin);
  try {
    // Headers that an earlier page kept (gqlgen's page always did) go too.
    await page.goto(`${server.baseURL}/healthz`);
    await page.evaluate((token) => {
      const headers = JSON.stringify({ Authorization: `Bearer ${token}` });
      localStorage.setItem('graphiql:headers', headers);
      localStorage.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ __typename }', headers }] }));
      localStorage.setItem('graphiql:tabState', JSON.stringify({ activeTabIndex: 0, tabs: [{ id: 'old', title: 'old', query: '{ __typename }', variables: null, headers, operationName: null, response: null }] }));
      localStorage.setItem('unrelated', 'kept');
    }, TOKEN);

    const request = await runQueryWithToken(page, server.baseURL);
    assert.equal(request.headers().authorization, `Bearer ${TOKEN}`, 'the query was sent with the typed header');
    const stored = await storedText(page);
    assert.match(stored, /PersistCheck/, 'GraphiQL stored its state');
    assert.doesNotMatch(stored, new RegExp(TOKEN), `the token is in the browser's storage:\n${stored}`);
    assert.match(stored, /^unrelated=kept$/m, "other keys of the origin's storage are left alone");

    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    assert.doesNotMatch((await editorValue(page, HEADERS_EDITOR)) ?? '', new RegExp(TOKEN), 'the headers pane came back after a reload');
    assert.match((await editorValue(page, '.graphiql-query-editor')) ?? '', /PersistCheck/, 'the query itself is kept');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('control: with -graphiql-persist-headers the headers pane is kept', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  try {
    // What this control needs stored is the headers pane; GraphiQL's
    // history, written on its own schedule, once took over 30 s to show.
    await runQueryWithToken(page, persisting.baseURL, { waitForStoredState: false });
    await page.waitForFunction((token) => (localStorage.getItem('graphiql:headers') ?? '').includes(token), TOKEN);
    assert.match(await storedText(page), new RegExp(TOKEN));
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    assert.match((await editorValue(page, HEADERS_EDITOR)) ?? '', new RegExp(TOKEN));
  } finally {
    await page.close();
  }
});

test('negative control: Chromium refuses an asset that does not match its integrity attribute', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  try {
    // Serve React with one byte appended: the page's SRI check must reject it.
    await page.route(`**${ASSET_BASE}/react@*/umd/react.production.min.js`, async (route) => {
      const upstream = await route.fetch();
      await route.fulfill({ response: upstream, body: Buffer.concat([await upstream.body(), Buffer.from('\n')]) });
    });
    const refused = page.waitForEvent('console', (msg) => msg.type() === 'error' && /integrity/i.test(msg.text()) && /react\.production\.min\.js/.test(msg.text()));
    await page.goto(`${server.baseURL}/`, { waitUntil: 'load' });
    await refused; // Chromium reported the integrity failure
    assert.equal(await page.evaluate(() => typeof window.React), 'undefined', 'the tampered script did not run');
  } finally {
    await page.close();
  }
});
