// End-to-end check of GraphiQL at `/` in a real browser, with its assets
// self-hosted (no CDN is reachable here, nor in air-gapped deployments):
//
// 1. builds and starts the Go server in -demo mode (lib/server.mjs) with
//    `-graphiql-assets-dir node_modules -graphiql-asset-base-url
//    /graphiql-assets`: the npm packages graphiql, react and react-dom that
//    this package installs at gqlgen's versions are the assets;
// 2. checks in Node that the page references only those, with their
//    integrity attributes, and that each served file hashes to its attribute;
// 3. drives Debian's Chromium (/usr/bin/chromium, never a downloaded browser)
//    with playwright-core: the page loads, the documentation explorer shows
//    the schema (fetched by introspection), a typed query runs and its result
//    appears; any page error, console error, failed or off-host request fails
//    the test; a screenshot goes to artifacts/graphiql.png;
// 4. negative control: a tampered asset must be refused by the browser's SRI
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
const UI_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 120_000;
const ULID = /"logId":\s*"[0-9A-HJKMNP-TV-Z]{26}"/;

// The files gqlgen's page loads, at gqlgen's versions (graphiql/assets.go).
const EXPECTED_ASSETS = [
  `${ASSET_BASE}/react@18.2.0/umd/react.production.min.js`,
  `${ASSET_BASE}/react-dom@18.2.0/umd/react-dom.production.min.js`,
  `${ASSET_BASE}/graphiql@4.1.2/graphiql.min.css`,
  `${ASSET_BASE}/graphiql@4.1.2/graphiql.min.js`,
];

let server; // lib/server.mjs
let userDataDir; // a fresh Chromium profile
let context; // the browser (a persistent context owns its browser process)

before(async () => {
  server = await startServer({
    args: ['-graphiql-assets-dir', path.join(E2E_DIR, 'node_modules'), '-graphiql-asset-base-url', ASSET_BASE],
  });
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
}, { timeout: START_TIMEOUT_MS + LAUNCH_TIMEOUT_MS });

after(async () => {
  await context?.close().catch((err) => console.error('browser close:', err));
  if (userDataDir) await fs.rm(userDataDir, { recursive: true, force: true });
  await server?.stop();
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

// Watches a page for everything that must not happen; problems() lists it.
function watch(page, origin) {
  const problems = [];
  const requests = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium asks for /favicon.ico on its own; the page references none.
    if (new URL(msg.location().url || 'about:blank', origin).pathname === '/favicon.ico') return;
    problems.push(`console error: ${msg.text()} (${msg.location().url})`);
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

async function screenshot(page, name) {
  await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await page.screenshot({ path: file, fullPage: true, timeout: UI_TIMEOUT_MS });
  return file;
}

// ---------------------------------------------------------------- tests

test('the page references only self-hosted assets, and each matches its integrity attribute', { timeout: TEST_TIMEOUT_MS }, async () => {
  const res = await fetch(`${server.baseURL}/`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  const html = await res.text();
  assert.ok(!html.includes('cdn.jsdelivr.net'), 'the page still references the CDN');
  const refs = integrityRefs(html);
  assert.deepEqual(refs.map((r) => r.url), EXPECTED_ASSETS);
  for (const { url, integrity, crossorigin } of refs) {
    assert.match(integrity, /^sha256-[A-Za-z0-9+/]{43}=$/, `${url}: integrity attribute`);
    assert.ok(crossorigin, `${url}: crossorigin="anonymous" kept`);
    const asset = await fetch(new URL(url, server.baseURL), { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    assert.equal(asset.status, 200, `${url}: status`);
    assert.equal(asset.headers.get('content-type'), url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    assert.equal(asset.headers.get('x-content-type-options'), 'nosniff');
    const digest = 'sha256-' + createHash('sha256').update(Buffer.from(await asset.arrayBuffer())).digest('base64');
    assert.equal(digest, integrity, `${url}: served bytes match the page's integrity attribute`);
  }
  // Nothing but asset files, and nothing outside the directory.
  for (const bad of ['graphiql@4.1.2/package.json', '..%2fpackage.json', 'graphiql@4.1.2/..%2f..%2fpackage.json', 'graphiql@9.9.9/graphiql.min.js']) {
    const r = await fetch(`${server.baseURL}${ASSET_BASE}/${bad}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    await r.arrayBuffer();
    assert.equal(r.status, 404, `${bad} is not served`);
  }
});

test('GraphiQL loads in Chromium, shows the schema docs and runs a typed query', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  const { origin } = new URL(server.baseURL);
  const { problems, requests } = watch(page, origin);
  await fs.rm(path.join(ARTIFACTS_DIR, 'graphiql-failure.png'), { force: true }); // from an earlier run
  try {
    const res = await page.goto(`${server.baseURL}/`, { waitUntil: 'load' });
    assert.equal(res.status(), 200);

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
      sheets: [`${ASSET_BASE}/graphiql@4.1.2/graphiql.min.css`],
    });
    for (const url of EXPECTED_ASSETS) {
      assert.ok(requests.some((r) => new URL(r.url()).pathname === url), `the browser loaded ${url}`);
    }

    // The documentation explorer, from the schema GraphiQL introspected.
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Root Types').waitFor();
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^Query$/ }).first().click();
    await docs.getByText('The entry points of the API.').waitFor();
    await docs.locator('a.graphiql-doc-explorer-field-name', { hasText: /^logs$/ }).first().click();
    await docs.locator('a.graphiql-doc-explorer-type-name', { hasText: /^LogConnection$/ }).first().waitFor();
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
  } catch (err) {
    await screenshot(page, 'graphiql-failure.png').catch(() => {});
    err.message += problems.length ? `\nalso seen in the browser:\n${problems.join('\n')}` : '';
    throw err;
  } finally {
    await page.close();
  }
});

test('negative control: Chromium refuses an asset that does not match its integrity attribute', { timeout: TEST_TIMEOUT_MS }, async () => {
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (msg) => msg.type() === 'error' && consoleErrors.push(msg.text()));
  try {
    // Serve React with one byte appended: the page's SRI check must reject it.
    await page.route(`**${ASSET_BASE}/react@18.2.0/umd/react.production.min.js`, async (route) => {
      const upstream = await route.fetch();
      await route.fulfill({ response: upstream, body: Buffer.concat([await upstream.body(), Buffer.from('\n')]) });
    });
    await page.goto(`${server.baseURL}/`, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => typeof window.React), 'undefined', 'the tampered script did not run');
    assert.ok(
      consoleErrors.some((m) => /integrity/i.test(m) && /react\.production\.min\.js/.test(m)),
      `Chromium reported the integrity failure: ${JSON.stringify(consoleErrors)}`,
    );
  } finally {
    await page.close();
  }
});
