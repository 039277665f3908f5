// SOP steps 6–7 in a real browser: the operator prints the Buku Aparat Pemerintah Desa, the
// Pembakal opens it from "Laporan Masuk" and accepts it ("Terima"); the receipted report's
// verification code opens the public page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, watchProblems, masuk: masukKe, simpanPerangkat, OUT } = require('./server.cjs');

const DESA = '63.11.02.2001';
const OPERATOR = { username: 'operator.hauwai', role: 'operator', scope: DESA, nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
const KADES = { username: 'kades.hauwai', role: 'kepala_desa', scope: DESA, nama: 'H. Abdul Gani', password: 'kuda-lari-cepat-8' };
const SK = fs.readFileSync(path.resolve(__dirname, '../fixtures/sk-contoh.pdf'));
let server;
let browser;

// Saved officials through the API (the register's own walkthrough is perangkat.test.cjs).
async function isiPerangkat() {
  const orang = [
    ['Abdul Gani', '6311021403700001', 'kepala_desa', '1970-03-14'],
    ['Siti Rahmah', '6311025406880002', 'sekretaris_desa', '1988-06-14'],
    ['Ahmad Fauzi', '6311021403850003', 'kaur_keuangan', '1985-03-14'],
  ];
  for (const [nama, nik, jabatan, lahir] of orang) {
    await simpanPerangkat(server.base, OPERATOR, DESA, {
      nama, nik, jabatan, jenis_kelamin: nik[6] >= '4' ? 'P' : 'L', tempat_lahir: 'Paringin', tanggal_lahir: lahir,
      agama: 'Islam', pendidikan_terakhir: 'SMA', status_jabatan: 'definitif',
      nomor_sk_pengangkatan: '141/05/HAUWAI/2020', tanggal_sk_pengangkatan: '2020-01-02', tmt: '2020-01-02',
    }, SK);
  }
}

before(async () => {
  server = await startServer([OPERATOR, KADES]);
  browser = await launchBrowser();
  await isiPerangkat();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const masuk = (page, u) => masukKe(page, server.base, u, `**/desa/${DESA}`);

test('operator mencetak Buku Aparat, Pembakal menerimanya, kode verifikasi dapat diperiksa', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await ctx.newPage();
  const problems = watchProblems(page);
  await masuk(page, OPERATOR);

  // Step 6: print, with the default signers.
  await page.getByRole('link', { name: 'Cetak Buku Aparat' }).first().click();
  await page.waitForURL('**/laporan/baru');
  assert.match(await page.locator('#penanda_kiri option:checked').textContent(), /Abdul Gani — Pembakal/);
  assert.match(await page.locator('#penanda_kanan option:checked').textContent(), /Siti Rahmah — Sekretaris Desa/);
  await page.screenshot({ path: path.join(OUT, 'laporan-1-cetak.png'), fullPage: true });
  await page.getByRole('button', { name: 'Cetak dan Kirim ke Pembakal' }).click();
  await page.waitForURL(/\/laporan\/\d+$/);
  assert.match(await page.locator('.pesan-sukses').textContent(), /Buku Aparat nomor 001\/BAPD\/63\.11\.02\.2001\/\d{4} dicetak/);
  const pdf = await page.request.get(page.url() + '/pdf');
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUT, 'laporan-2-menunggu.png'), fullPage: true });
  const alamat = page.url();
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
  await ctx.close();

  // Step 7: the Pembakal, on a phone.
  const hp = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const kd = await hp.newPage();
  const masalah = watchProblems(kd);
  await masuk(kd, KADES);
  assert.match(await kd.locator('.pesan-info').first().textContent(), /1 laporan menunggu Anda terima/);
  await kd.getByRole('link', { name: 'Laporan Masuk' }).first().click();
  await kd.waitForURL('**/laporan');
  await kd.screenshot({ path: path.join(OUT, 'laporan-3-masuk-ponsel.png'), fullPage: true });
  await kd.locator('td[data-label="Nomor"] a').first().click();
  await kd.waitForURL(alamat);
  await kd.getByRole('button', { name: 'Terima' }).click();
  await kd.waitForURL(alamat);
  assert.match(await kd.locator('.pesan-sukses').first().textContent(), /Laporan diterima pada \d+ \S+ \d{4}, \d{2}\.\d{2} WITA\./);
  assert.equal(await kd.locator('.lencana').first().textContent(), 'Diterima');
  const kode = (await kd.locator('strong.kode').textContent()).trim();
  assert.match(kode, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  await kd.waitForTimeout(500);
  await kd.screenshot({ path: path.join(OUT, 'laporan-4-diterima-ponsel.png'), fullPage: true });
  assert.deepEqual(masalah, [], `browser problems: ${masalah.join('; ')}`);
  await hp.close();

  // Anyone, without an account, checks the code.
  const publik = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  await publik.goto(`${server.base}/verifikasi`);
  await publik.getByLabel('Kode verifikasi').fill(kode.toLowerCase());
  await publik.getByRole('button', { name: 'Periksa' }).click();
  await publik.waitForURL(`**/verifikasi/${kode.replace('-', '')}`);
  assert.match(await publik.locator('main').textContent(), /Dokumen asli/);
  assert.doesNotMatch(await publik.locator('main').textContent(), /Abdul Gani|Siti Rahmah/);
  await publik.screenshot({ path: path.join(OUT, 'laporan-5-verifikasi.png'), fullPage: true });
  await publik.close();
});
