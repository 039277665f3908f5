// The first walk through SIPKATDES in a real browser: an operator logs in and reaches the
// page of their desa; a wrong password gets the Indonesian message; logout ends the session.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startServer, launchBrowser, watchProblems, OUT } = require('./server.cjs');

const OPERATOR = { username: 'operator.hauwai', role: 'operator', scope: '63.11.02.2001', nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
let server;
let browser;

before(async () => {
  server = await startServer([OPERATOR]);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('operator masuk dan sampai di halaman desanya', async () => {
  for (const [nama, viewport] of [['desktop', { width: 1366, height: 900 }], ['ponsel', { width: 390, height: 844 }]]) {
    const page = await browser.newPage({ viewport });
    const problems = watchProblems(page);
    await page.goto(server.base + '/');
    assert.equal(await page.locator('h1').textContent(), 'Masuk');
    await page.getByLabel('Nama Pengguna').fill(OPERATOR.username);
    await page.getByLabel('Kata Sandi').fill(OPERATOR.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL('**/desa/63.11.02.2001');
    assert.equal((await page.locator('h1').textContent()).trim(), 'Desa Hauwai');
    assert.match(await page.locator('main').textContent(), /Perangkat Aktif/);
    assert.match(await page.locator('main').textContent(), /Jabatan Kosong/);
    assert.match(await page.locator('header').textContent(), /Siti Rahmah/);
    await page.screenshot({ path: path.join(OUT, `operator-desa-${nama}.png`), fullPage: true });
    assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
    await page.close();
  }
});

test('kata sandi salah dijawab dalam bahasa Indonesia', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/');
  await page.getByLabel('Nama Pengguna').fill(OPERATOR.username);
  await page.getByLabel('Kata Sandi').fill('bukan-sandinya-1');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForSelector('#galat-masuk');
  assert.equal((await page.locator('#galat-masuk').textContent()).trim(), 'Nama pengguna atau kata sandi salah.');
  // The username is kept; the password is not.
  assert.equal(await page.getByLabel('Nama Pengguna').inputValue(), OPERATOR.username);
  assert.equal(await page.getByLabel('Kata Sandi').inputValue(), '');
  await page.screenshot({ path: path.join(OUT, 'masuk-salah.png') });
  await page.close();
});

test('keluar mengakhiri sesi', async () => {
  const page = await browser.newPage();
  await page.goto(server.base + '/');
  await page.getByLabel('Nama Pengguna').fill(OPERATOR.username);
  await page.getByLabel('Kata Sandi').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL('**/desa/63.11.02.2001');
  await page.getByRole('button', { name: 'Keluar' }).click();
  await page.waitForURL(server.base + '/');
  assert.match(await page.locator('main').textContent(), /Anda telah keluar\./);
  await page.goto(server.base + '/desa/63.11.02.2001');
  assert.equal(await page.locator('h1').textContent(), 'Masuk');
  await page.close();
});
