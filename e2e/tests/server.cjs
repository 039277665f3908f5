// Starts a real SIPKATDES server for a browser test: a fresh data dir, Kecamatan Halong,
// the accounts a test asks for, on a free loopback port.
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.SIPKATDES_BIN || path.resolve(__dirname, '../../target/debug/sipkatdes');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function startServer(users) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipkatdes-e2e-'));
  const env = { ...process.env, SIPKATDES_DATA_DIR: dir };
  delete env.SIPKATDES_DATABASE_URL;
  execFileSync(BIN, ['init', '--kecamatan', '63.11.02'], { env, stdio: 'pipe' });
  for (const u of users) {
    execFileSync(BIN, ['user', 'add', '--username', u.username, '--role', u.role, '--scope', u.scope || '',
      '--nama', u.nama || '', '--password-stdin'], { env, input: u.password + '\n', stdio: ['pipe', 'pipe', 'pipe'] });
  }
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Starts the demo instance (Kecamatan Halong with data in every state and an account for every
// role, password sipkatdes-demo) on a fresh data directory.
async function startDemo() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipkatdes-e2e-demo-'));
  const env = { ...process.env };
  delete env.SIPKATDES_DATABASE_URL;
  delete env.SIPKATDES_DATA_DIR;
  const port = await freePort();
  const proc = spawn(BIN, ['demo', '--data-dir', path.join(dir, 'data'), '--listen', `127.0.0.1:${port}`],
    { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  // Setting up 24 desa with their SKs and reports takes a while in a debug build.
  let siap = false;
  for (let i = 0; i < 1800 && proc.exitCode === null; i++) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) { siap = true; break; }
    } catch (_) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!siap) {
    proc.kill('SIGKILL');
    throw new Error(`demo did not start: ${log}`);
  }
  return {
    base,
    log: () => log,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

// Records console errors, failed requests and CSP violations of a page.
function watchProblems(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // A request aborted because the page navigated on (the SK viewer's PDF) is not a problem.
  page.on('requestfailed', (r) => {
    const why = (r.failure() && r.failure().errorText) || '';
    if (!why.includes('ERR_ABORTED')) problems.push(`request failed: ${r.url()} ${why}`);
  });
  return problems;
}

// Logs in through the login form and waits for the user's start page.
async function masuk(page, base, u, tujuan) {
  await page.goto(base + '/');
  await page.getByLabel('Nama Pengguna').fill(u.username);
  await page.getByLabel('Kata Sandi').fill(u.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(tujuan);
}

// Saves an official through the API as the operator `u` does: entry, SK upload, "Sesuai".
async function simpanPerangkat(base, u, desa, data, sk) {
  const assert = require('node:assert/strict');
  const tok = await (await fetch(`${base}/api/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: u.username, password: u.password }),
  })).json();
  const auth = { authorization: `Bearer ${tok.token}` };
  const r = await fetch(`${base}/api/v1/desa/${desa}/perangkat`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(data),
  });
  const v = await r.json();
  assert.equal(r.status, 201, JSON.stringify(v));
  const form = new FormData();
  form.append('berkas', new Blob([sk], { type: 'application/pdf' }), 'sk.pdf');
  assert.equal((await fetch(`${base}/api/v1/perangkat/${v.id}/dokumen`, { method: 'POST', headers: auth, body: form })).status, 201);
  const p = await fetch(`${base}/api/v1/perangkat/${v.id}/pemeriksaan`, {
    method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ sesuai: true }),
  });
  assert.equal(p.status, 200, await p.text());
  return v.id;
}

const OUT = path.resolve(__dirname, '../hasil');
fs.mkdirSync(OUT, { recursive: true });

module.exports = { startServer, startDemo, launchBrowser, watchProblems, masuk, simpanPerangkat, OUT };
