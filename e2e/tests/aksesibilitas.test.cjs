// Accessibility, tested (issue 14, point 19): axe-core (WCAG 2.1 A and AA) over every page each
// role reaches on the demo instance, found by following the links of its pages; zero violations
// allowed. Then SOP steps 2–5 done with the keyboard alone.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startDemo, startServer, launchBrowser, watchProblems, masuk, OUT } = require('./server.cjs');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SANDI = 'sipkatdes-demo';
const PERAN = [
  { username: 'operator.hauwai', awal: '**/desa/63.11.02.2001' },
  { username: 'kades.hauwai', awal: '**/desa/63.11.02.2001' },
  { username: 'kecamatan.halong', awal: '**/dasbor' },
  { username: 'kabupaten.balangan', awal: '**/dasbor' },
  { username: 'admin', awal: '**/admin' },
];
// Not pages: files, images, downloads.
const BUKAN_HALAMAN = /\/dokumen\/|\/pdf$|\.pdf|\.xlsx|\.csv|\/foto\/|\/aset\/|\/api\/|\/healthz/;
// Pages of the same kind are checked twice at most (an id or a filter is not another page).
const JENIS = (p) => p.replace(/\?.*$/, '').replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/\d{2}(\.\d+)+/g, '/{kode}');
const PALING_BANYAK_PER_JENIS = 2;
const PALING_BANYAK_HALAMAN = 70;

let demo;
let browser;

before(async () => {
  demo = await startDemo();
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (demo) await demo.stop();
});

// The violations of WCAG 2.1 A/AA rules on the page now shown.
async function periksaAxe(page) {
  // evaluate runs outside the page's CSP, so the strict CSP needs no exception for the test.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary.replace(/\s+/g, ' ')}`),
    }));
  });
}

// Visits the pages a role reaches from its start page, breadth first, and checks each one, on
// a desktop and (for every page) on a phone's width too.
async function jelajahi(context, mulai) {
  const page = await context.newPage();
  const problems = watchProblems(page);
  const antre = [...mulai];
  const dilihat = new Set();
  const perJenis = new Map();
  const temuan = [];
  let halaman = 0;
  while (antre.length && halaman < PALING_BANYAK_HALAMAN) {
    const url = antre.shift();
    const p = new URL(url).pathname + new URL(url).search;
    if (dilihat.has(p)) continue;
    dilihat.add(p);
    const jenis = JENIS(new URL(url).pathname);
    const n = perJenis.get(jenis) || 0;
    if (n >= PALING_BANYAK_PER_JENIS) continue;
    perJenis.set(jenis, n + 1);
    const r = await page.goto(url);
    if (!r || !(r.headers()['content-type'] || '').startsWith('text/html')) continue;
    halaman++;
    for (const lebar of [1366, 390]) {
      await page.setViewportSize({ width: lebar, height: 900 });
      for (const v of await periksaAxe(page)) temuan.push({ halaman: p, lebar, ...v });
    }
    const tautan = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    for (const t of tautan) {
      const u = new URL(t);
      if (u.origin !== new URL(url).origin || BUKAN_HALAMAN.test(u.pathname)) continue;
      u.hash = '';
      antre.push(u.toString());
    }
  }
  await page.close();
  return { temuan, halaman, problems, dilihat: [...dilihat] };
}

function laporkan(nama, hasil) {
  const teks = hasil.temuan.map((t) => `${t.halaman} (${t.lebar}px): ${t.id} [${t.impact}] ${t.help}\n    ${t.nodes.join('\n    ')}`);
  fs.writeFileSync(path.join(OUT, `axe-${nama}.txt`), `${hasil.halaman} halaman\n${hasil.dilihat.join('\n')}\n\n${teks.join('\n')}\n`);
  return teks.join('\n');
}

test('halaman tanpa masuk: nol pelanggaran WCAG 2.1 AA', { timeout: 300000 }, async () => {
  const context = await browser.newContext();
  const base = demo.base;
  const hasil = await jelajahi(context, [`${base}/`, `${base}/publik`, `${base}/verifikasi`, `${base}/tidak-ada`]);
  await context.close();
  assert.ok(hasil.halaman >= 4, `only ${hasil.halaman} pages`);
  assert.deepEqual(hasil.problems.filter((p) => !/status of 404/.test(p)), []);
  assert.equal(hasil.temuan.length, 0, laporkan('publik', hasil));
});

for (const peran of PERAN) {
  test(`setiap halaman ${peran.username}: nol pelanggaran WCAG 2.1 AA`, { timeout: 600000 }, async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await masuk(page, demo.base, { username: peran.username, password: SANDI }, peran.awal);
    const awal = page.url();
    await page.close();
    // The start page, an unknown record and a forbidden page (errors keep the layout, point 4).
    const hasil = await jelajahi(context, [awal, `${demo.base}/perangkat/999999`, `${demo.base}/admin/pengguna`]);
    await context.close();
    assert.ok(hasil.halaman >= 5, `only ${hasil.halaman} pages: ${hasil.dilihat.join(', ')}`);
    assert.deepEqual(hasil.problems.filter((p) => !/status of 40[34]/.test(p)), []);
    assert.equal(hasil.temuan.length, 0, laporkan(peran.username, hasil));
  });
}

// SOP steps 2–5 with the keyboard alone: the operator reaches the form, types every field,
// picks the SK file, goes to the check, ticks the boxes and saves, never touching the mouse.
test('langkah SOP 2–5 dengan papan ketik saja', { timeout: 300000 }, async () => {
  const OP = { username: 'operator.hauwai', role: 'operator', scope: '63.11.02.2001', nama: 'Siti Rahmah', password: 'kuda-lari-cepat-7' };
  const server = await startServer([OP]);
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = watchProblems(page);
  // Listening from the start: the file chooser is intercepted before any key is pressed.
  const pemilihan = [];
  page.on('filechooser', (fc) => pemilihan.push(fc));
  try {
    await page.goto(server.base + '/');
    // Tab until the element with this id is focused, or (a RegExp) one whose own text matches.
    const tabKe = async (cocok, batas = 80) => {
      for (let i = 0; i < batas; i++) {
        await page.keyboard.press('Tab');
        const ok = await page.evaluate(([id, pola]) => {
          const el = document.activeElement;
          if (!el) return false;
          if (id) return el.id === id;
          const teks = `${el.textContent || ''} ${el.closest('label') ? el.closest('label').textContent : ''}`.replace(/\s+/g, ' ').trim();
          return new RegExp(pola).test(teks);
        }, typeof cocok === 'string' ? [cocok, null] : [null, cocok.source]);
        if (ok) return;
      }
      throw new Error(`no focusable element matches ${cocok}`);
    };
    // Every focused element shows where the focus is.
    const fokusTerlihat = async () => {
      const [ok, apa] = await page.evaluate(() => {
        const el = document.activeElement;
        const s = getComputedStyle(el);
        const ok = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
        return [ok, `${el.outerHTML.slice(0, 200)} outline=${s.outlineStyle} ${s.outlineWidth}`];
      });
      if (!ok) console.log('focus not visible:', apa);
      return ok;
    };

    await tabKe('username');
    await page.keyboard.type(OP.username);
    await tabKe('password');
    await page.keyboard.type(OP.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/desa/63.11.02.2001');

    // Step 2: a new entry.
    await tabKe(/^Tambah Perangkat$/);
    assert.ok(await fokusTerlihat(), 'focus not visible on the link');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/perangkat/baru');

    // Step 3: the data, then the SK through the Indonesian file button.
    const ketik = async (label, teks) => { await tabKe(label); await page.keyboard.type(teks); };
    const pilih = async (label, teks) => {
      await tabKe(label);
      // A select is chosen by typing the start of an option, as keyboard users do.
      await page.keyboard.type(teks);
    };
    await ketik('nama', 'Ahmad Fauzi');
    await ketik('nik', '6311021403850001');
    await pilih('jenis_kelamin', 'Laki');
    await ketik('tempat_lahir', 'Paringin');
    await ketik('tanggal_lahir', '14 Maret 1985');
    assert.equal(await page.locator('#baca-tanggal_lahir').textContent(), 'Terbaca: 14 Maret 1985');
    await pilih('agama', 'Islam');
    await pilih('pendidikan_terakhir', 'SMA');
    await pilih('jabatan', 'Kepala Urusan Keuangan');
    await pilih('status_jabatan', 'Definitif');
    await ketik('nomor_sk_pengangkatan', '141/05/HAUWAI/2020');
    await ketik('tanggal_sk_pengangkatan', '02-01-2020');
    await ketik('tmt', '2/1/2020');
    await tabKe('berkas-pilih');
    assert.ok(await fokusTerlihat(), 'focus not visible on the file button');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'berkas-pilih');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 100 && !pemilihan.length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(pemilihan.length, 1, 'Enter on "Pilih Berkas" opened no file chooser');
    const pemilih = pemilihan[0];
    await pemilih.setFiles(path.resolve(__dirname, '../fixtures/sk-contoh.pdf'));
    assert.match(await page.locator('.nama-berkas').textContent(), /^sk-contoh\.pdf, /);
    await tabKe(/^Lanjut ke Pemeriksaan$/);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/pemeriksaan');

    // Step 4: every box ticked with Space, then "Sesuai — Simpan". (The SK viewer loads first:
    // headless Chromium moves the focus to the page when its PDF frame has loaded.)
    await page.waitForLoadState('networkidle');
    const kotak = await page.locator('input[type=checkbox][form=form-sesuai]').count();
    assert.ok(kotak >= 3, `${kotak} boxes`);
    for (let i = 0; i < kotak; i++) {
      await tabKe(/sesuai dengan SK/);
      assert.ok(await fokusTerlihat(), 'focus not visible on a box');
      await page.keyboard.press('Space');
    }
    assert.equal(await page.locator('input[type=checkbox][form=form-sesuai]:checked').count(), kotak);
    await tabKe(/^Sesuai — Simpan$/);
    await page.keyboard.press('Enter');

    // Step 5: saved, on the desa's page, with the dates as typed read right.
    await page.waitForURL('**/desa/63.11.02.2001');
    assert.match(await page.locator('.pesan').first().textContent(), /Data Ahmad Fauzi tersimpan/);
    const tok = await (await fetch(`${server.base}/api/v1/auth/token`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: OP.username, password: OP.password }),
    })).json();
    const daftar = await (await fetch(`${server.base}/api/v1/desa/63.11.02.2001/perangkat`, {
      headers: { authorization: `Bearer ${tok.token}` },
    })).json();
    const p = (daftar.data || daftar).find((x) => x.nama === 'Ahmad Fauzi');
    assert.ok(p, JSON.stringify(daftar).slice(0, 500));
    assert.equal(p.tanggal_lahir, '1985-03-14');
    assert.equal(p.tanggal_sk_pengangkatan, '2020-01-02');
    assert.equal(p.tmt, '2020-01-02');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
    await server.stop();
  }
});

// Issue 14, point 16: on a phone a table row is a short card with the name as its title,
// everything aligned left, SK numbers never broken inside.
test('di ponsel: kartu ringkas dengan nama sebagai judul, rata kiri, nomor SK utuh', { timeout: 120000 }, async () => {
  const kasus = [
    { username: 'kecamatan.halong', awal: '**/dasbor', jalur: '/dasbor', baris: '.tabel-dasbor tbody tr', paling_tinggi: 210 },
    { username: 'operator.hauwai', awal: '**/desa/63.11.02.2001', jalur: '/desa/63.11.02.2001', baris: '#aktif tbody tr', paling_tinggi: 270 },
  ];
  for (const k of kasus) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await masuk(page, demo.base, { username: k.username, password: SANDI }, k.awal);
    await page.goto(demo.base + k.jalur);
    const kartu = await page.$$eval(k.baris, (trs) => trs.map((tr) => {
      const tds = [...tr.querySelectorAll('td')];
      const judul = tds[0];
      return {
        tinggi: Math.round(tr.getBoundingClientRect().height),
        judul: judul.textContent.trim().slice(0, 40),
        labelJudul: getComputedStyle(judul, '::before').content,
        rata: [...new Set(tds.map((td) => getComputedStyle(td).textAlign))],
      };
    }));
    assert.ok(kartu.length >= 8, `${k.jalur}: ${kartu.length} cards`);
    for (const c of kartu) {
      assert.ok(c.tinggi <= k.paling_tinggi, `${k.jalur}: card "${c.judul}" is ${c.tinggi}px (at most ${k.paling_tinggi})`);
      assert.equal(c.labelJudul, 'none', `${k.jalur}: the title "${c.judul}" carries a label`);
      assert.ok(c.rata.every((r) => r === 'left' || r === 'start'), `${k.jalur}: "${c.judul}" aligned ${c.rata}`);
    }
    if (k.jalur.startsWith('/desa/')) {
      // The SK number (before its date) sits on one line.
      const patah = await page.$$eval('#aktif td[data-label="SK"]', (tds) => tds.filter((td) => {
        const t = td.firstChild;
        if (!t || t.nodeType !== 3) return false;
        const akhir = t.textContent.indexOf(' (');
        const r = document.createRange();
        r.setStart(t, 0);
        r.setEnd(t, akhir > 0 ? akhir : t.textContent.length);
        return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size > 1;
      }).map((td) => td.textContent));
      assert.deepEqual(patah, [], 'SK numbers broken across lines');
    }
    await page.screenshot({ path: path.join(OUT, `ponsel-kartu-${k.username}.png`), fullPage: true });
    await context.close();
  }
});
