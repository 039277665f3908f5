// Bulk import in a real browser: the operator uploads the desa's own spreadsheet (CSV), sees
// every row checked (one with a NIK that Excel turned into a number), imports the good rows,
// and finds them as drafts that still need their SK and the check.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startServer, launchBrowser, watchProblems, masuk, OUT } = require('./server.cjs');

const DESA = '63.11.02.2001';
const OPERATOR = { username: 'operator.hauwai', role: 'operator', scope: DESA, nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
const BERKAS = path.resolve(__dirname, '../fixtures/perangkat-impor.csv');
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

test('operator mengimpor spreadsheet desa: pratinjau per baris, lalu konfirmasi menjadi draf', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await masuk(page, server.base, OPERATOR, `**/desa/${DESA}`);

  await page.getByRole('link', { name: 'Impor dari Excel/CSV' }).click();
  await page.waitForURL(`**/desa/${DESA}/impor`);
  await page.getByLabel(/Berkas XLSX atau CSV/).setInputFiles(BERKAS);
  await page.screenshot({ path: path.join(OUT, 'impor-1-unggah.png'), fullPage: true });
  await page.getByRole('button', { name: 'Unggah dan Periksa' }).click();
  await page.waitForURL(new RegExp(`/desa/${DESA.replace(/\./g, '\\.')}/impor/[0-9a-f]+$`));

  // The preview: nothing saved yet; the bad row named and left out.
  assert.match(await page.locator('.judul-halaman').textContent(), /3 baris, 2 siap diimpor, 1 dengan kesalahan/);
  const salah = page.locator('tr', { hasText: 'Salah Ketik' });
  assert.ok(await salah.locator('input[type=checkbox]').isDisabled());
  assert.match(await salah.textContent(), /6\.31102E\+15/);
  assert.match(await page.locator('tr', { hasText: 'Abdul Gani' }).textContent(), /Pembakal/);
  assert.match(await page.locator('.catatan').first().textContent(), /Kolom diabaikan: Catatan Lain/);
  await page.screenshot({ path: path.join(OUT, 'impor-2-pratinjau.png'), fullPage: true });

  await page.getByRole('button', { name: 'Impor baris yang dicentang sebagai draf' }).click();
  await page.waitForURL(`**/desa/${DESA}#tindakan`);
  assert.match(await page.locator('.pesan-sukses').textContent(), /2 perangkat diimpor sebagai draf/);
  const tindakan = await page.locator('#tindakan').textContent();
  assert.match(tindakan, /Abdul Gani/);
  assert.match(tindakan, /Nor Aini/);
  await page.screenshot({ path: path.join(OUT, 'impor-3-draf.png'), fullPage: true });
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
  await page.close();
});
