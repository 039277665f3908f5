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

// Issue 17 in the browser: the desa asks for the Camat's recommendation with two candidates,
// the kecamatan approves one, the desa enters the official from it, and the check screen shows
// the letter beside the SK.
test('permohonan rekomendasi: diajukan desa, disetujui Camat, menjadi entri perangkat', { timeout: 180000 }, async () => {
  const opCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const op = await opCtx.newPage();
  const problems = watchProblems(op);
  await masuk(op, OPERATOR, `**/desa/${DESA}`);
  await op.goto(`${server.base}/desa/${DESA}/rekomendasi/baru`);
  await op.getByLabel('Pengangkatan perangkat desa').check();
  await op.locator('#jabatan').selectOption('kasi_pelayanan');
  const calon = [
    { nama: 'Nor Aini', nik: '6311025403900002', jk: 'P', lahir: '14/03/1990' },
    { nama: 'Siti Hajar', nik: '6311025506920003', jk: 'P', lahir: '15 Juni 1992' },
  ];
  for (const [i, c] of calon.entries()) {
    await op.locator(`#calon${i}_nama`).fill(c.nama);
    await op.locator(`#calon${i}_nik`).fill(c.nik);
    await op.locator(`#calon${i}_jenis_kelamin`).selectOption(c.jk);
    await op.locator(`#calon${i}_tempat_lahir`).fill('Halong');
    await op.locator(`#calon${i}_tanggal_lahir`).fill(c.lahir);
    await op.locator(`#calon${i}_agama`).selectOption('Islam');
    await op.locator(`#calon${i}_pendidikan_terakhir`).selectOption('S1');
  }
  assert.equal(await op.locator('#baca-calon1_tanggal_lahir').textContent(), 'Terbaca: 15 Juni 1992');
  const radio = await op.getByLabel('Pengangkatan perangkat desa').boundingBox();
  assert.ok(radio.width <= 24 && radio.height <= 24, `radio drawn ${radio.width}×${radio.height}`);
  await op.screenshot({ path: path.join(OUT, 'rekomendasi-1-permohonan.png'), fullPage: true });
  await op.getByRole('button', { name: 'Ajukan' }).click();
  await op.waitForURL(/\/rekomendasi\/\d+$/);
  const url = op.url();
  assert.match(await op.locator('main').textContent(), /Nor Aini/);

  const kecCtx = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const kec = await kecCtx.newPage();
  await masuk(kec, KEC, '**/dasbor');
  await kec.goto(url);
  await kec.locator('#calon_setuju').selectOption({ label: 'Calon 1: Nor Aini' });
  await kec.getByRole('button', { name: 'Setujui' }).click();
  await kec.waitForURL(url);
  assert.match(await kec.locator('main').textContent(), /Disetujui/);
  await kec.screenshot({ path: path.join(OUT, 'rekomendasi-2-disetujui.png'), fullPage: true });
  await kecCtx.close();

  await op.goto(url);
  await op.getByRole('link', { name: 'Tambah Perangkat dari rekomendasi ini' }).click();
  await op.waitForURL(/perangkat\/baru\?rekomendasi=/);
  assert.equal(await op.getByLabel('Nama lengkap (tanpa gelar)').inputValue(), 'Nor Aini');
  assert.equal(await op.getByLabel('Tanggal lahir').inputValue(), '14-03-1990');
  await op.getByLabel('Nomor SK').fill('141/09/HAUWAI/2026');
  await op.getByLabel('Tanggal SK').fill('1 Desember 2026');
  await op.getByLabel('TMT (terhitung mulai tanggal)').fill('01-12-2026');
  await op.getByLabel('Berkas SK (PDF, JPEG atau PNG, paling besar 10 MB)').setInputFiles(path.resolve(__dirname, '../fixtures/sk-contoh.pdf'));
  await op.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  await op.waitForURL('**/pemeriksaan');
  const surat = op.locator('.surat-dasar');
  assert.match(await surat.textContent(), /Rekomendasi Camat[\s\S]*Nomor/);
  await surat.locator('summary').click();
  assert.match(await surat.locator('iframe').getAttribute('src'), /^\/rekomendasi\/\d+\/pdf/);
  await op.screenshot({ path: path.join(OUT, 'rekomendasi-3-pemeriksaan.png'), fullPage: true });
  await opCtx.close();
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
});
