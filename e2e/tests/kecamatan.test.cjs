// SOP step 8 in a real browser: the operator saves a record; a moment later the kecamatan sees
// it on the dashboard with the desa's new synchronization time, returns it with a note; the
// operator sees the note on the desa page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, watchProblems, masuk: masukKe, simpanPerangkat: simpan, OUT } = require('./server.cjs');

const DESA = '63.11.02.2001';
const OPERATOR = { username: 'operator.hauwai', role: 'operator', scope: DESA, nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
const KEC = { username: 'kecamatan.halong', role: 'kecamatan', scope: '63.11.02', nama: 'Staf Kecamatan', password: 'kuda-lari-cepat-9' };
const SK = fs.readFileSync(path.resolve(__dirname, '../fixtures/sk-contoh.pdf'));
let server;
let browser;

before(async () => {
  server = await startServer([OPERATOR, KEC]);
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const masuk = (page, u, tujuan) => masukKe(page, server.base, u, tujuan);

// The operator's save, through the API (the form walkthrough is perangkat.test.cjs).
async function simpanPerangkat() {
  await simpan(server.base, OPERATOR, DESA, {
    nama: 'Ahmad Fauzi', nik: '6311021403850003', jabatan: 'kaur_keuangan', jenis_kelamin: 'L',
    tempat_lahir: 'Paringin', tanggal_lahir: '1985-03-14', agama: 'Islam', pendidikan_terakhir: 'SMA',
    status_jabatan: 'definitif', nomor_sk_pengangkatan: '141/05/HAUWAI/2020',
    tanggal_sk_pengangkatan: '2020-01-02', tmt: '2020-01-02',
  }, SK);
}

test('kecamatan melihat data tersimpan seketika, mengembalikannya dengan catatan, operator melihat catatan', async () => {
  const kec = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(kec);
  await masuk(kec, KEC, '**/dasbor');
  const baris = () => kec.locator('tbody tr', { has: kec.locator('a', { hasText: /^Hauwai$/ }) });
  assert.equal((await baris().locator('td[data-label="Aktif"]').textContent()).trim(), '0');
  assert.equal((await baris().locator('td[data-label="Terakhir sinkron"] .sinkron').textContent()).trim(), 'belum ada');

  await simpanPerangkat();

  // A moment later: no "Kirim" button, no job — the page shows it.
  await kec.reload();
  assert.equal((await baris().locator('td[data-label="Aktif"]').textContent()).trim(), '1');
  assert.equal((await baris().locator('td[data-label="Terakhir sinkron"] .sinkron').textContent()).trim(), 'baru saja');
  await kec.screenshot({ path: path.join(OUT, 'kecamatan-1-dasbor.png'), fullPage: true });

  // Open the desa (read-only), then the record; return it with a note.
  await baris().locator('a', { hasText: 'Hauwai' }).click();
  await kec.waitForURL(`**/desa/${DESA}`);
  assert.equal(await kec.getByRole('link', { name: 'Tambah Perangkat' }).count(), 0, 'read-only for the kecamatan');
  await kec.locator('#aktif a', { hasText: 'Ahmad Fauzi' }).click();
  await kec.locator('summary', { hasText: 'Kembalikan ke Desa' }).click();
  await kec.getByLabel('Apa yang harus diperiksa desa?').fill('Tanggal SK pada salinan adalah 3 Januari 2020.');
  await kec.getByRole('button', { name: 'Kirim: Kembalikan' }).click();
  assert.match(await kec.locator('.pesan-sukses').textContent(), /dikembalikan ke desa/);
  assert.match(await kec.locator('.judul-halaman').textContent(), /Dikembalikan Kecamatan/);
  await kec.screenshot({ path: path.join(OUT, 'kecamatan-2-dikembalikan.png'), fullPage: true });
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);

  // The dashboard on a phone.
  const hp = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await masuk(hp, KEC, '**/dasbor');
  await hp.screenshot({ path: path.join(OUT, 'kecamatan-3-dasbor-ponsel.png'), fullPage: false });
  await hp.close();

  // The operator sees the note where the work is.
  const op = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await masuk(op, OPERATOR, `**/desa/${DESA}`);
  const tindakan = await op.locator('#tindakan').textContent();
  assert.match(tindakan, /Dikembalikan Kecamatan/);
  assert.match(tindakan, /Catatan kecamatan: Tanggal SK pada salinan adalah 3 Januari 2020\./);
  await op.screenshot({ path: path.join(OUT, 'kecamatan-4-operator-catatan.png'), fullPage: true });
  await op.close();
  await kec.close();
});
