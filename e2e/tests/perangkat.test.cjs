// SOP steps 2–5 in a real browser: the operator enters an official, uploads the SK, sees it
// beside the data, finds a mismatch ("Tidak Sesuai" with a note), corrects it, checks again
// ("Sesuai — Simpan") and sees the official saved on the desa page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { startServer, launchBrowser, watchProblems, masuk: masukKe, OUT } = require('./server.cjs');

const OPERATOR = { username: 'operator.hauwai', role: 'operator', scope: '63.11.02.2001', nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
const SK = path.resolve(__dirname, '../fixtures/sk-contoh.pdf');
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

const masuk = (page) => masukKe(page, server.base, OPERATOR, '**/desa/63.11.02.2001');

// Fills the entry form as an operator types it from the SK.
async function isiFormulir(page, o) {
  await page.getByLabel('Nama lengkap (tanpa gelar)').fill(o.nama);
  await page.getByLabel('NIK').fill(o.nik);
  await page.getByLabel('Jenis kelamin').selectOption(o.jk);
  await page.getByLabel('Tempat lahir').fill(o.tempat);
  await page.getByLabel('Tanggal lahir').fill(o.lahir);
  await page.getByLabel('Agama').selectOption('Islam');
  await page.getByLabel('Pendidikan terakhir').selectOption(o.pendidikan);
  await page.locator('#jabatan').selectOption(o.jabatan);
  await page.getByLabel('Nomor SK').fill(o.nomor);
  await page.getByLabel('Tanggal SK').fill(o.tanggal);
  await page.getByLabel('TMT (terhitung mulai tanggal)').fill(o.tanggal);
}

test('operator memasukkan, memeriksa terhadap SK, memperbaiki, lalu menyimpan', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await masuk(page);

  // Step 2–3: a new entry with its SK scan.
  await page.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
  await page.waitForURL('**/perangkat/baru');
  await isiFormulir(page, { nama: 'Ahmad Fauzi', nik: '6311021403850001', jk: 'L', tempat: 'Paringin', lahir: '1985-03-14', pendidikan: 'SMA', jabatan: 'kaur_keuangan', nomor: '141/05/HAUWAI/2020', tanggal: '2020-01-02' });
  await page.getByLabel('Berkas SK (PDF, JPEG atau PNG, paling besar 10 MB)').setInputFiles(SK);
  await page.screenshot({ path: path.join(OUT, 'perangkat-1-isian.png'), fullPage: true });
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();

  // Step 4: the SK beside the entered data.
  await page.waitForURL('**/pemeriksaan');
  assert.equal(await page.locator('h1').textContent(), 'Pemeriksaan: Ahmad Fauzi');
  const src = await page.locator('iframe.penampil-pdf').getAttribute('src');
  assert.match(src, /^\/dokumen\/\d+/);
  const pdf = await page.request.get(server.base + src.split('#')[0]);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.match(await page.locator('.periksa-data').textContent(), /6311021403850001/);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(OUT, 'perangkat-2-pemeriksaan.png'), fullPage: true });

  // A mismatch: "Tidak Sesuai" needs a note.
  await page.locator('summary', { hasText: 'Tidak Sesuai' }).click();
  await page.getByLabel('Apa yang tidak sesuai?').fill('Nomor SK pada SK adalah 141/06/HAUWAI/2020');
  await page.getByRole('button', { name: 'Kirim: Tidak Sesuai' }).click();
  await page.waitForURL('**/ubah');
  assert.match(await page.locator('main').textContent(), /Nomor SK pada SK adalah 141\/06\/HAUWAI\/2020/);
  await page.screenshot({ path: path.join(OUT, 'perangkat-3-perbaikan.png'), fullPage: true });

  // Look at the SK again and re-enter.
  await page.getByLabel('Nomor SK').fill('141/06/HAUWAI/2020');
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  await page.waitForURL('**/pemeriksaan');
  assert.match(await page.locator('.periksa-data').textContent(), /141\/06\/HAUWAI\/2020/);

  // Step 5: every group matches the SK; save.
  for (const cek of await page.locator('.cek-kelompok input[type=checkbox]').all()) {
    await cek.check();
  }
  await page.getByRole('button', { name: 'Sesuai — Simpan' }).click();
  await page.waitForURL('**/desa/63.11.02.2001');
  assert.match(await page.locator('.pesan-sukses').textContent(), /Data Ahmad Fauzi tersimpan dan sudah tersinkron ke kecamatan\./);
  const aktif = await page.locator('#aktif td[data-label="Nama"]').allTextContents();
  assert.ok(aktif.some((n) => n.includes('Ahmad Fauzi')), `active officials: ${aktif}`);
  await page.screenshot({ path: path.join(OUT, 'perangkat-4-tersimpan.png'), fullPage: true });

  // The history tells every step.
  await page.locator('#aktif a', { hasText: 'Ahmad Fauzi' }).click();
  await page.getByRole('link', { name: 'Riwayat' }).click();
  const riwayat = await page.locator('.linimasa-judul strong').allTextContents();
  for (const langkah of ['Data dimasukkan', 'Dokumen diunggah', 'Pemeriksaan: tidak sesuai dengan SK', 'Data diubah', 'Pemeriksaan: sesuai dengan SK — tersimpan']) {
    assert.ok(riwayat.includes(langkah), `${langkah} missing from ${riwayat}`);
  }
  await page.screenshot({ path: path.join(OUT, 'perangkat-5-riwayat.png'), fullPage: true });
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
  await page.close();
});

test('di ponsel, SK dan data dapat dipilih dengan satu ketukan', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await masuk(page);
  await page.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
  await isiFormulir(page, { nama: 'Nor Aini', nik: '6311025403900002', jk: 'P', tempat: 'Halong', lahir: '1990-03-14', pendidikan: 'S1', jabatan: 'kasi_pelayanan', nomor: '141/07/HAUWAI/2021', tanggal: '2021-04-01' });
  await page.getByLabel('Berkas SK (PDF, JPEG atau PNG, paling besar 10 MB)').setInputFiles(SK);
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  await page.waitForURL('**/pemeriksaan');
  assert.ok(await page.locator('.periksa-sk').isVisible());
  assert.ok(!(await page.locator('.periksa-data').isVisible()));
  await page.locator('label[for="tab-data"]').click();
  assert.ok(await page.locator('.periksa-data').isVisible());
  assert.ok(!(await page.locator('.periksa-sk').isVisible()));
  await page.screenshot({ path: path.join(OUT, 'perangkat-ponsel-data.png'), fullPage: true });
  await page.close();
});

test('berkas SK di atas batas ditolak di peramban sebelum dikirim, isian tetap', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  await masuk(page);
  await page.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
  await page.waitForURL('**/perangkat/baru');
  await isiFormulir(page, { nama: 'Rahmat Hidayat', nik: '6311021403850001', jk: 'L', tempat: 'Paringin', lahir: '1985-03-14', pendidikan: 'SMA', jabatan: 'kaur_keuangan', nomor: '141/05/HAUWAI/2020', tanggal: '2020-01-02' });
  const berkas = page.getByLabel('Berkas SK (PDF, JPEG atau PNG, paling besar 10 MB)');
  // An 11 MB "scan": refused beside its field, in Indonesian, before anything is sent.
  await berkas.setInputFiles({ name: 'sk-besar.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(11 * 1048576, 0x20) });
  const pesan = page.locator('#berkas-ukuran');
  await pesan.waitFor({ state: 'visible' });
  assert.match(await pesan.textContent(), /^Berkas ini 11 MB; paling besar 10 MB\. Pindai dengan resolusi lebih rendah/);
  assert.equal(await berkas.evaluate((el) => el.validity.customError), true);
  assert.match(await berkas.evaluate((el) => el.validationMessage), /paling besar 10 MB/);
  await page.screenshot({ path: path.join(OUT, 'perangkat-berkas-besar.png'), fullPage: true });
  let terkirim = false;
  page.on('request', (r) => { if (r.method() === 'POST') terkirim = true; });
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  await page.waitForTimeout(300);
  assert.equal(terkirim, false, 'the form is not sent');
  assert.equal(await page.getByLabel('Nama lengkap (tanpa gelar)').inputValue(), 'Rahmat Hidayat');
  // A file within the limit clears the message.
  await berkas.setInputFiles(SK);
  assert.equal(await pesan.isVisible(), false);
  assert.equal(await berkas.evaluate((el) => el.validity.valid), true);
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
  await page.close();
});

test('dua tab: yang kedua melihat yang tersimpan sekarang di samping yang diketiknya', async () => {
  const konteks = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const a = await konteks.newPage();
  const problems = watchProblems(a);
  await masuk(a);
  await a.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
  await isiFormulir(a, { nama: 'Nurul Huda', nik: '6311024507920003', jk: 'P', tempat: 'Halong', lahir: '1992-07-05', pendidikan: 'SMA', jabatan: 'kasi_pemerintahan', nomor: '141/09/HAUWAI/2022', tanggal: '2022-02-01' });
  await a.getByRole('button', { name: 'Simpan Draf' }).click();
  await a.waitForURL(/\/perangkat\/\d+$/);
  const ubah = a.url() + '/ubah';
  // The second tab: the same session, on a phone-sized window.
  const b = await konteks.newPage();
  await b.setViewportSize({ width: 390, height: 844 });
  await b.goto(ubah);
  await a.goto(ubah);
  await a.getByLabel('Tempat lahir').fill('Paringin');
  await a.getByRole('button', { name: 'Simpan Draf' }).click();
  await a.waitForURL(/\/perangkat\/\d+$/);
  await b.getByLabel('Nama lengkap (tanpa gelar)').fill('Nurul Hudaya');
  await b.getByRole('button', { name: 'Simpan Draf' }).click();
  const kotak = b.locator('#konflik');
  await kotak.waitFor();
  assert.match(await kotak.textContent(), /diubah orang lain/);
  const baris = await kotak.locator('tbody tr').allTextContents();
  assert.ok(baris.some((r) => /Tempat lahir/.test(r) && /Paringin/.test(r) && /Halong/.test(r)), baris.join(' / '));
  assert.equal(await b.getByLabel('Nama lengkap (tanpa gelar)').inputValue(), 'Nurul Hudaya');
  await b.screenshot({ path: path.join(OUT, 'perangkat-konflik-ponsel.png'), fullPage: true });
  // Sending again, with both in view, keeps this tab's typing.
  await b.getByRole('button', { name: 'Simpan Draf' }).click();
  await b.waitForURL(/\/perangkat\/\d+$/);
  assert.match(await b.locator('h1').textContent(), /Nurul Hudaya/);
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
  await konteks.close();
});

test('sesi berakhir saat mengisi: masuk lagi kembali ke formulir dengan isian tetap', async () => {
  const konteks = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await konteks.newPage();
  const problems = watchProblems(page);
  await masuk(page);
  await page.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
  await page.waitForURL('**/perangkat/baru');
  await isiFormulir(page, { nama: 'Masitah Rahmah', nik: '6311025512910004', jk: 'P', tempat: 'Tabuan', lahir: '1991-12-15', pendidikan: 'D3', jabatan: 'kaur_perencanaan', nomor: '141/11/HAUWAI/2023', tanggal: '2023-05-02' });
  // The session ends while the operator types (the server no longer knows the cookie).
  await konteks.addCookies([{ name: 'sipkatdes_sesi', value: '0'.repeat(64), url: server.base }]);
  await page.getByRole('button', { name: 'Simpan Draf' }).click();
  await page.waitForURL(server.base + '/');
  assert.match(await page.locator('#sesi-berakhir').textContent(), /Sesi Anda telah berakhir/);
  await page.screenshot({ path: path.join(OUT, 'sesi-berakhir-masuk.png') });
  // A mistyped password first: the typing still waits.
  await page.getByLabel('Nama Pengguna').fill(OPERATOR.username);
  await page.getByLabel('Kata Sandi').fill('salah-ketik');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.locator('.pesan-galat, [role=alert]').first().waitFor();
  assert.notEqual(await page.evaluate(() => sessionStorage.getItem('sipkatdes:isian')), null);
  await page.getByLabel('Nama Pengguna').fill(OPERATOR.username);
  await page.getByLabel('Kata Sandi').fill(OPERATOR.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  // Back on the form, with what was typed.
  await page.waitForURL('**/desa/63.11.02.2001/perangkat/baru');
  await page.locator('#isian-dipulihkan').waitFor();
  assert.equal(await page.getByLabel('Nama lengkap (tanpa gelar)').inputValue(), 'Masitah Rahmah');
  assert.equal(await page.getByLabel('NIK').inputValue(), '6311025512910004');
  assert.equal(await page.locator('#jabatan').inputValue(), 'kaur_perencanaan');
  assert.equal(await page.getByLabel('Tanggal SK').inputValue(), '2023-05-02');
  await page.screenshot({ path: path.join(OUT, 'sesi-berakhir-dipulihkan.png'), fullPage: true });
  // Sent again, it is saved; the copy is gone.
  await page.getByRole('button', { name: 'Simpan Draf' }).click();
  await page.waitForURL(/\/perangkat\/\d+$/);
  assert.match(await page.locator('h1').textContent(), /Masitah Rahmah/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('sipkatdes:isian')), null);
  await page.goto(server.base + '/desa/63.11.02.2001/perangkat/baru');
  assert.equal(await page.locator('#isian-dipulihkan').count(), 0);
  assert.equal(await page.getByLabel('Nama lengkap (tanpa gelar)').inputValue(), '');
  // The mistyped password's 401 is the one expected problem.
  const lain = problems.filter((p) => !/status of 401/.test(p));
  assert.deepEqual(lain, [], `browser problems: ${lain.join('; ')}`);
  await konteks.close();
});

// Issue 14, point 17: an English-language browser still shows only SIPKATDES's own words: no
// "Please fill out this field.", no "Choose File / No file chosen", no mm/dd/yyyy date box.
test('peramban berbahasa Inggris: pesan, tanggal dan berkas tetap berbahasa Indonesia', async () => {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await masuk(page);
  await page.goto(server.base + '/desa/63.11.02.2001/perangkat/baru');
  assert.equal(await page.locator('input[type=date]').count(), 0, 'a browser date box');
  assert.equal(await page.locator('form:not([novalidate])').count(), 0, 'a form the browser would check itself');
  // The file picker is SIPKATDES's own.
  assert.ok(await page.locator('input[type=file]').evaluate((el) => el.getBoundingClientRect().width <= 1 && getComputedStyle(el).opacity === '0'),
    'the browser\'s own file button shows');
  assert.equal(await page.locator('.pilih-berkas button').textContent(), 'Pilih Berkas');
  assert.equal(await page.locator('.nama-berkas').textContent(), 'Belum ada berkas dipilih');
  // Sending the empty form: Indonesian messages beside the fields, nothing sent.
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  assert.match(page.url(), /\/perangkat\/baru$/);
  assert.equal(await page.locator('#nama-wajib').textContent(), 'Nama lengkap wajib diisi.');
  assert.equal(await page.locator('#tanggal_lahir-wajib').textContent(), 'Tanggal lahir wajib diisi.');
  assert.equal(await page.locator(':focus').getAttribute('id'), 'nama');
  // A date as people write it, read back in words before it is sent.
  await isiFormulir(page, { nama: 'Nor Hayati', nik: '6311024312950003', jk: 'P', tempat: 'Halong', lahir: '03/12/1995', pendidikan: 'S1', jabatan: 'kasi_pemerintahan', nomor: '141/08/HAUWAI/2021', tanggal: '1 April 2021' });
  assert.equal(await page.locator('#baca-tanggal_lahir').textContent(), 'Terbaca: 3 Desember 1995');
  assert.equal(await page.locator('#baca-tmt').textContent(), 'Terbaca: 1 April 2021');
  assert.ok(await page.locator('#nama-wajib').isHidden(), 'the message goes once the field is filled');
  await page.getByLabel('Tanggal SK').fill('31/02/2021');
  assert.match(await page.locator('#baca-tanggal_sk_pengangkatan').textContent(), /^Belum terbaca sebagai tanggal\./);
  await page.getByLabel('Tanggal SK').fill('1-4-2021');
  await page.getByLabel('Berkas SK (PDF, JPEG atau PNG, paling besar 10 MB)').setInputFiles(SK);
  assert.match(await page.locator('.nama-berkas').textContent(), /^sk-contoh\.pdf, \d+(,\d)? MB$/);
  await page.screenshot({ path: path.join(OUT, 'perangkat-inggris-isian.png'), fullPage: true });
  await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
  await page.waitForURL('**/pemeriksaan');
  assert.match(await page.locator('.periksa-data').textContent(), /3 Desember 1995/);
  // "Sesuai" without the boxes: SIPKATDES says what is missing, in the browser and on the server.
  assert.match(await page.locator('#bantu-cek').textContent(), /Centang semua kotak/);
  await page.getByRole('button', { name: 'Sesuai — Simpan' }).click();
  assert.match(page.url(), /\/pemeriksaan$/);
  assert.match(await page.locator('.galat-isian').first().textContent(), /Centang kotak ini/);
  await context.close();
  const tanpaJs = await browser.newContext({ locale: 'en-US', javaScriptEnabled: false });
  const p2 = await tanpaJs.newPage();
  await masuk(p2);
  const id = page.url().match(/perangkat\/(\d+)\/pemeriksaan/)[1];
  await p2.goto(`${server.base}/perangkat/${id}/pemeriksaan`);
  await p2.locator('.cek-kelompok input').first().check();
  await p2.getByRole('button', { name: 'Sesuai — Simpan' }).click();
  assert.match(await p2.locator('#cek .galat-isian').textContent(), /belum dicentang: Jabatan, SK Pengangkatan\./);
  await p2.screenshot({ path: path.join(OUT, 'perangkat-inggris-kotak.png'), fullPage: true });
  await tanpaJs.close();
  assert.deepEqual(problems, [], `browser problems: ${problems.join('; ')}`);
});
