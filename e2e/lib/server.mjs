// Builds the Go server into a temp dir and runs it on a free loopback port,
// for the e2e tests. Every test file starts its own server (node --test runs
// each file in a process of its own) and must call stop() in an after() hook;
// a process 'exit' hook kills whatever is still running as a last resort.
// A file that starts several servers builds the binary once.

import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

export const E2E_DIR = path.resolve(import.meta.dirname, '..');
export const REPO_DIR = path.resolve(E2E_DIR, '..');

export const BUILD_TIMEOUT_MS = 240_000; // a cold Go build cache takes about a minute here
export const HEALTH_TIMEOUT_MS = 30_000;
export const REQUEST_TIMEOUT_MS = 15_000;
// What a before() hook that calls startServer() should allow.
export const START_TIMEOUT_MS = BUILD_TIMEOUT_MS + HEALTH_TIMEOUT_MS + 30_000;

const running = new Set(); // child processes not yet known to have exited
let build; // Promise of the binary's path: one build per process
let buildDir; // where it is, removed when the process exits

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
  if (buildDir) rmSync(buildDir, { recursive: true, force: true });
});

// buildOnce runs `go build` in the repository root the first time it is
// called and resolves with the binary's path; later calls share that build.
function buildOnce() {
  build ??= (async () => {
    buildDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gqlfacade-e2e-bin-'));
    const bin = path.join(buildDir, 'gqlfacade');
    try {
      await execFileP('go', ['build', '-o', bin, '.'], {
        cwd: REPO_DIR,
        timeout: BUILD_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (err) {
      throw new Error(`go build failed: ${err.message}\n${err.stderr ?? ''}`);
    }
    return bin;
  })();
  return build;
}

// demoUpstreamURL finds the simulated upstream's base URL in a -demo
// server's log (its "demo upstream" line); undefined when there is none.
function demoUpstreamURL(logText) {
  for (const line of logText.split('\n')) {
    if (!line.includes('"demo upstream"')) continue;
    try {
      return JSON.parse(line).url;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

// The address a server logged it listens on ({"msg":"listening","addr":…}),
// or undefined before it has.
function listeningAddr(logTail) {
  for (const line of logTail.split('\n')) {
    if (!line.includes('"listening"')) continue;
    try {
      const { msg, addr } = JSON.parse(line);
      if (msg === 'listening' && addr) return addr;
    } catch {
      // a line cut by the log tail's bound
    }
  }
  return undefined;
}

// Waits until the server has logged the address it listens on. It binds
// port 0 itself: a port picked here and passed to it could be taken in
// between (its own simulated upstream once took it).
async function waitForAddr(child, logTail) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const addr = listeningAddr(logTail());
    if (addr) return addr;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`server did not say where it listens within ${HEALTH_TIMEOUT_MS} ms:\n${logTail()}`);
}

async function waitForHealth(url, child, logTail) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let lastError;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited early (code ${child.exitCode}, signal ${child.signalCode}):\n${logTail()}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) {
        const body = await res.json();
        if (body.status === 'ok') return;
        lastError = new Error(`unexpected /healthz body ${JSON.stringify(body)}`);
      } else {
        lastError = new Error(`/healthz answered ${res.status}`);
      }
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy within ${HEALTH_TIMEOUT_MS} ms (${lastError?.message}):\n${logTail()}`);
}

async function killChild(child) {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Builds the server (`go build` in the repository root, once per process),
 * starts `<bin> -demo -host 127.0.0.1 -port 0 ...args` in a new temp dir, reads
 * the address it logs and waits for GET /healthz. With demo: false, -demo is left out: args must then say
 * which upstream to call (e.g. another server's demoUpstream). env is added
 * to the server's environment. Resolves with
 *   { baseURL, tmpDir, demoUpstream, log(): string, stop(): Promise<void> };
 * demoUpstream is the simulated upstream's base URL (…/client/v4) of a -demo
 * server, which accepts the Bearer token cfsim-demo-token. stop() kills the
 * server and removes tmpDir (which callers may use for their own files). If
 * anything fails, everything started is undone first.
 */
export async function startServer({ args = [], env = {}, demo = true } = {}) {
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gqlfacade-e2e-'));
  let child;
  let logTail = '';
  const log = () => logTail;
  const stop = async () => {
    if (child) await killChild(child);
    await fs.rm(tmpDir, { recursive: true, force: true });
  };
  try {
    const bin = await buildOnce();
    child = spawn(bin, [...(demo ? ['-demo'] : []), '-host', '127.0.0.1', '-port', '0', ...args], {
      cwd: tmpDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    // A server that a failed hook never handed to its test (one of two
    // started together) must not keep Node running: unreferenced, the
    // process can end, and its exit hook kills what is still running.
    child.unref();
    child.stdout.unref();
    child.stderr.unref();
    child.once('exit', () => running.delete(child));
    const keep = (chunk) => {
      logTail = (logTail + chunk.toString()).slice(-8_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (err) => keep(`spawn error: ${err.message}\n`));
    const baseURL = `http://${await waitForAddr(child, log)}`;
    await waitForHealth(`${baseURL}/healthz`, child, log);
    return { baseURL, tmpDir, demoUpstream: demoUpstreamURL(logTail), log, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * POSTs a GraphQL request to url and returns the parsed body; fails on a
 * non-200 status, on `errors` and on missing data.
 */
export async function postGraphQL(url, query, variables = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${url} answered ${res.status}: ${text}`);
  const body = JSON.parse(text);
  if (body.errors !== undefined) throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(body.errors)}`);
  if (!body.data) throw new Error(`no data from ${url}: ${text}`);
  return body;
}
