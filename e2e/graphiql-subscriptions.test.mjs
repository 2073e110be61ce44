// End-to-end check that GraphiQL at `/` runs a subscription, in Debian's
// Chromium (playwright-core, every request to another origin aborted),
// against a service in -demo mode whose simulated upstream appends a log to
// every gateway every 2 seconds: the page opens a graphql-transport-ws
// WebSocket on /query, sends what the headers pane holds as
// connection_init's payload, and shows one new log after another in its
// result pane. A screenshot goes to artifacts/graphiql-subscription.png.
//
// Run: cd e2e && npm ci && node --test graphiql-subscriptions.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { E2E_DIR, START_TIMEOUT_MS, startServer } from './lib/server.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'];
const UI_TIMEOUT_MS = 30_000;
const EVENT_TIMEOUT_MS = 30_000; // logs arrive every 2 s; a busy machine polls late
const TEST_TIMEOUT_MS = 150_000;
const TOKEN = 'cfsim-demo-token';
const ULID = /"logId":\s*"([0-9A-HJKMNP-TV-Z]{26})"/;

let server;
let browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`no browser at ${CHROMIUM}: install Debian's with 'apt-get update && apt-get install -y chromium' (or set CHROMIUM_PATH)`);
  }
  server = await startServer({ env: { GRAPHIQL_ASSETS_DIR: '', GRAPHIQL_ASSET_BASE_URL: '', GRAPHIQL_PERSIST_HEADERS: '' } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: UI_TIMEOUT_MS });
}, { timeout: START_TIMEOUT_MS + UI_TIMEOUT_MS });

after(async () => {
  await browser?.close().catch((err) => console.error('browser close:', err));
  await server?.stop();
});

// Replaces the text of a CodeMirror editor as a user pasting it would.
async function replaceText(page, selector, text) {
  await page.locator(`${selector} .CodeMirror`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.insertText(text);
}

const responseText = (page) =>
  page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror?.getValue() ?? '');

// Waits until the result pane shows a log other than those in seen, and
// returns its id.
async function nextShownLog(page, seen) {
  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const id = (await responseText(page)).match(ULID)?.[1];
    if (id && !seen.includes(id)) return id;
    await page.waitForTimeout(200);
  }
  throw new Error(`no new log shown within ${EVENT_TIMEOUT_MS} ms; the pane shows:\n${await responseText(page)}\n${server.log()}`);
}

test('GraphiQL runs a subscription over the WebSocket and shows each new log', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const { origin } = new URL(server.baseURL);
  await context.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => msg.type() === 'error' && problems.push(`console error: ${msg.text()}`));
  const sockets = [];
  page.on('websocket', (ws) => {
    const socket = { url: ws.url(), sent: [] };
    sockets.push(socket);
    ws.on('framesent', (f) => socket.sent.push(String(f.payload)));
  });
  try {
    await page.goto(`${server.baseURL}/`, { waitUntil: 'load' });
    await page.waitForSelector('.graphiql-container', { timeout: UI_TIMEOUT_MS });
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await replaceText(page, 'section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)', JSON.stringify({ Authorization: `Bearer ${TOKEN}` }));
    await replaceText(page, '.graphiql-query-editor', 'subscription Tail { logAdded(gatewayId: "prod-chat") { logId createdAt model } }');
    await page.getByRole('button', { name: /^Execute query/ }).click();

    const first = await nextShownLog(page, []);
    const second = await nextShownLog(page, [first]);
    assert.notEqual(first, second);

    assert.equal(sockets.length, 1, `one WebSocket: ${JSON.stringify(sockets.map((s) => s.url))}`);
    assert.equal(new URL(sockets[0].url).pathname, '/query');
    const init = sockets[0].sent.map((f) => JSON.parse(f)).find((m) => m.type === 'connection_init');
    assert.equal(init?.payload?.Authorization, `Bearer ${TOKEN}`, 'the headers pane goes as connection_init\'s payload');
    assert.ok(sockets[0].sent.some((f) => f.includes('"subscribe"') && f.includes('logAdded')));
    await fs.mkdir(path.join(E2E_DIR, 'artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(E2E_DIR, 'artifacts', 'graphiql-subscription.png'), fullPage: true });
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
