// SOP steps 2–5 in Chromium over an emulated slow link (issue 16): 400 kbit/s down, 200 kbit/s
// up, 400 ms round trip — an operator in a desa with one bar of signal. Measures how long each
// step waits on the network and the server (the typing itself is instant here: Playwright
// fills the fields), with a 300 KB scan as the SK, and writes bench/hasil/lambat.json.
//
//   node bench/lambat.cjs [path/to/sipkatdes]     (default: $CARGO_TARGET_DIR/release/sipkatdes)
//
// Uses e2e/'s playwright-core and Debian's chromium (as the browser tests do).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const target = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/sipkatdes/target');
process.env.SIPKATDES_BIN = process.argv[2] || process.env.SIPKATDES_BIN || path.join(target, 'release/sipkatdes');
const { startServer, launchBrowser } = require(path.join(ROOT, 'e2e/tests/server.cjs'));

const OP = { username: 'operator.hauwai', role: 'operator', scope: '63.11.02.2001', nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
const LINK = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (200 * 1000) / 8 };

// A scan-like JPEG of about 300 KB: noise compresses badly, as paper grain does.
function pindaian(berkas) {
  const { execFileSync } = require('node:child_process');
  const py = `
import random
from PIL import Image, ImageDraw
random.seed(7)
w, h = 1240, 1754
img = Image.effect_noise((w, h), 40).convert("RGB")
d = ImageDraw.Draw(img)
for i in range(40):
    d.text((120, 120 + i * 38), "KEPUTUSAN KEPALA DESA HAUWAI NOMOR 141/05/HAUWAI/2020 " * 2, fill=(20, 20, 20))
q = 60
while True:
    img.save("${berkas}", "JPEG", quality=q)
    import os
    n = os.path.getsize("${berkas}")
    if n <= 320000 or q <= 5:
        break
    q -= 5
`;
  execFileSync('python3', ['-c', py]);
  return fs.statSync(berkas).size;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipkatdes-lambat-'));
  const sk = path.join(dir, 'sk-pindaian.jpg');
  const ukuranSk = pindaian(sk);
  const server = await startServer([OP]);
  const browser = await launchBrowser();
  const langkah = [];
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', LINK);
    let bait = 0;
    cdp.on('Network.loadingFinished', (e) => { bait += e.encodedDataLength; });
    const ukur = async (nama, fn) => {
      const b0 = bait;
      const t = performance.now();
      await fn();
      langkah.push({ nama, detik: (performance.now() - t) / 1000, kb_turun: (bait - b0) / 1024 });
      console.error(`[lambat] ${nama}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    };
    await ukur('Halaman masuk (kunjungan pertama)', async () => {
      await page.goto(server.base + '/', { waitUntil: 'load' });
    });
    await ukur('Masuk → halaman desa', async () => {
      await page.getByLabel('Nama Pengguna').fill(OP.username);
      await page.getByLabel('Kata Sandi').fill(OP.password);
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL('**/desa/63.11.02.2001', { waitUntil: 'load' });
    });
    await ukur('Tambah Perangkat → formulir', async () => {
      await page.locator('.judul-halaman').getByRole('link', { name: 'Tambah Perangkat' }).click();
      await page.waitForURL('**/perangkat/baru', { waitUntil: 'load' });
    });
    await page.getByLabel('Nama lengkap (tanpa gelar)').fill('Ahmad Fauzi');
    await page.getByLabel('NIK').fill('6311021403850001');
    await page.getByLabel('Jenis kelamin').selectOption('L');
    await page.getByLabel('Tempat lahir').fill('Paringin');
    await page.getByLabel('Tanggal lahir').fill('14-03-1985');
    await page.getByLabel('Agama').selectOption('Islam');
    await page.getByLabel('Pendidikan terakhir').selectOption('SMA');
    await page.locator('#jabatan').selectOption('kaur_keuangan');
    await page.getByLabel('Nomor SK').fill('141/05/HAUWAI/2020');
    await page.getByLabel('Tanggal SK').fill('02-01-2020');
    await page.getByLabel('TMT (terhitung mulai tanggal)').fill('02-01-2020');
    await page.locator('input[type=file]').setInputFiles(sk);
    await ukur(`Kirim isian + SK (${Math.round(ukuranSk / 1024)} KB) → Pemeriksaan`, async () => {
      await page.getByRole('button', { name: 'Lanjut ke Pemeriksaan' }).click();
      await page.waitForURL('**/pemeriksaan', { waitUntil: 'load' });
    });
    // On a phone the SK and the data are two tabs: the boxes are on the data's.
    if (await page.locator('label[for="tab-data"]').isVisible()) await page.locator('label[for="tab-data"]').click();
    for (const cek of await page.locator('.cek-kelompok input[type=checkbox]').all()) await cek.check();
    await ukur('Sesuai — Simpan → halaman desa', async () => {
      await page.getByRole('button', { name: 'Sesuai — Simpan' }).click();
      await page.waitForURL('**/desa/63.11.02.2001', { waitUntil: 'load' });
    });
    const teks = await page.locator('.pesan-sukses').textContent();
    if (!/tersimpan/.test(teks)) throw new Error(`not saved: ${teks}`);
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const total = langkah.reduce((s, l) => s + l.detik, 0);
  const hasil = {
    waktu: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    jaringan: '400 kbit/s turun, 200 kbit/s naik, 400 ms pulang-pergi (Chromium network emulation)',
    ukuran_sk_kb: Math.round(ukuranSk / 1024),
    langkah,
    total_detik: total,
  };
  fs.mkdirSync(path.join(ROOT, 'bench/hasil'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'bench/hasil/lambat.json'), JSON.stringify(hasil, null, 1));
  console.log(JSON.stringify(hasil, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
