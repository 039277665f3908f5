#!/usr/bin/env python3
"""SIPKATDES benchmark: sets up the data sets, drives the running server with wrk over
loopback and writes BENCHMARKS.md. See bench/README.md.

Standard library only (Python 3.9+). Needs: wrk, a release build of sipkatdes (built here
unless --bin is given), and for the national scale a PostgreSQL server (createdb/dropdb/psql).
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
HASIL = os.path.join(BENCH, "hasil")
SANDI = "sipkatdes-bench-2026"
DESA = "63.11.02.2001"  # Desa Hauwai, Kecamatan Halong, Kabupaten Balangan (in both data sets)
KECAMATAN = "63.11.02"

# Every province code of the region reference (init --kecamatan with all of them = the country).
PROVINSI = (
    "11,12,13,14,15,16,17,18,19,21,31,32,33,34,35,36,51,52,53,61,62,63,64,65,71,72,73,74,75,76,"
    "81,82,91,92,93,94,95,96"
)

SKALA = {
    "provinsi": {
        "judul": "Province: Kalimantan Selatan on SQLite",
        "kode": "63",
        "backend": "sqlite",
        "per_desa": 12,
    },
    "nasional": {
        "judul": "National: every province on PostgreSQL",
        "kode": PROVINSI,
        "backend": "postgres",
        "per_desa": 12,
    },
}

# SPEC §6 targets, in milliseconds of p99 (None: no target of its own).
TARGET_HALAMAN = 50  # every page, province scale, SQLite
TARGET_CARI = 100  # search and paged lists, national scale, PostgreSQL
TARGET_PDF = 100  # a desa's Buku Aparat PDF
# Issue 16, at -c16: every endpoint p99 < 50 ms (province, SQLite) and < 100 ms (national,
# PostgreSQL); a repeated Buku Aparat PDF of an unchanged desa < 20 ms; a desa's HTML page at
# least 0.1 of the static asset's throughput.
TARGET_PROVINSI = 50
TARGET_NASIONAL = 100
TARGET_PDF_ULANG = 20
RASIO_DESA = 0.1
KONEKSI_TARGET = 16


def log(*a):
    print("[bench]", *a, file=sys.stderr, flush=True)


def jalankan(cmd, env=None, input=None, cek=True):
    log("$", " ".join(cmd))
    t = time.monotonic()
    r = subprocess.run(cmd, env=env, input=input, text=True, capture_output=True)
    dt = time.monotonic() - t
    if cek and r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit(f"gagal: {' '.join(cmd)}")
    return r, dt


def port_bebas():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Klien:
    """A browser-like client (cookies, no redirects) for logging in and picking test values."""

    def __init__(self, dasar):
        self.dasar = dasar
        self.jar = http.cookiejar.CookieJar()

        class TanpaAlih(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), TanpaAlih)

    def minta(self, jalur, data=None, kepala=None, metode=None):
        req = urllib.request.Request(self.dasar + jalur, data=data, headers=kepala or {}, method=metode)
        try:
            with self.op.open(req, timeout=120) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def masuk(self, username):
        _, html = self.minta("/")
        m = re.search(rb'name="_csrf" value="([^"]+)"', html)
        if not m:
            raise SystemExit("token CSRF halaman masuk tidak ditemukan")
        data = urllib.parse.urlencode(
            {"_csrf": m.group(1).decode(), "username": username, "password": SANDI}
        ).encode()
        st, _ = self.minta("/masuk", data, {"Origin": self.dasar})
        if st != 303:
            raise SystemExit(f"login {username} gagal: HTTP {st}")
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def token(self, username):
        body = json.dumps({"username": username, "password": SANDI}).encode()
        st, b = self.minta("/api/v1/auth/token", body, {"Content-Type": "application/json"})
        if st != 200:
            raise SystemExit(f"token {username} gagal: HTTP {st} {b[:200]!r}")
        return json.loads(b)["token"]

    def json(self, jalur, token):
        st, b = self.minta(jalur, kepala={"Authorization": f"Bearer {token}"})
        if st != 200:
            raise SystemExit(f"GET {jalur}: HTTP {st} {b[:300]!r}")
        return json.loads(b)


def rss_kb(pid, kunci="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for baris in f:
            if baris.startswith(kunci + ":"):
                return int(baris.split()[1])
    return 0


def ms(teks):
    """wrk's '1.23ms' / '512.00us' / '1.01s' → milliseconds."""
    m = re.match(r"([\d.]+)(us|ms|s|m)$", teks.strip())
    if not m:
        raise ValueError(teks)
    v, u = float(m.group(1)), m.group(2)
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[u]


def wrk(url, kepala, jalur, durasi, koneksi):
    """Runs wrk against `url` (one thread; two from 16 connections on, one per core); with
    several paths, a Lua script rotates them."""
    cmd = ["wrk", f"-t{2 if koneksi >= 16 else 1}", f"-c{koneksi}", f"-d{durasi}s", "--latency", "--timeout", "10s"]
    for k in kepala:
        cmd += ["-H", k]
    env = dict(os.environ)
    berkas = None
    if len(jalur) > 1:
        berkas = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
        berkas.write("\n".join(jalur) + "\n")
        berkas.close()
        env["JALUR"] = berkas.name
        cmd += ["-s", os.path.join(BENCH, "jalur.lua")]
    cmd.append(url + jalur[0])
    r = subprocess.run(cmd, env=env, text=True, capture_output=True)
    if berkas:
        os.unlink(berkas.name)
    out = r.stdout
    if r.returncode != 0:
        raise SystemExit(f"wrk gagal: {r.stderr}")
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    n = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    galat = re.search(r"Socket errors: (.*)", out)
    return {
        "p50": ms(lat["50"]),
        "p99": ms(lat["99"]),
        "rps": rps,
        "permintaan": n,
        "non_2xx": int(non2xx.group(1)) if non2xx else 0,
        "galat_soket": galat.group(1) if galat else "",
    }


def tenang(pid, batas=300):
    """Waits (at most `batas` s) until the process `pid` and PostgreSQL's backends use less
    than a tenth of a core over a second."""

    def cpu():
        total = 0
        for p in [str(pid)] + [d for d in os.listdir("/proc") if d.isdigit() and d != str(pid)]:
            try:
                with open(f"/proc/{p}/stat") as f:
                    st = f.read()
                nama = st[st.index("(") + 1 : st.rindex(")")]
                if p != str(pid) and not nama.startswith("postgres"):
                    continue
                kolom = st[st.rindex(")") + 2 :].split()
                total += int(kolom[11]) + int(kolom[12])
            except (OSError, ValueError):
                continue
        return total / os.sysconf("SC_CLK_TCK")

    mulai = time.monotonic()
    while time.monotonic() - mulai < batas:
        a = cpu()
        time.sleep(1)
        if cpu() - a < 0.1:
            return
    log(f"server belum tenang setelah {batas} s")


def mesin():
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for b in f:
            if b.startswith("model name"):
                cpu = b.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) // 1024
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    wrkv = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
    return {
        "cpu": cpu,
        "inti": os.cpu_count(),
        "ram_mb": mem,
        "kernel": platform.release(),
        "os": platform.platform(),
        "rustc": rustc,
        "postgresql": pg,
        "wrk": (wrkv.stdout + wrkv.stderr).splitlines()[0] if (wrkv.stdout + wrkv.stderr) else "wrk",
    }


def muat_rata():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class Server:
    def __init__(self, bin_, umum, env):
        self.bin, self.umum, self.env = bin_, umum, env
        self.port = port_bebas()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def mulai(self):
        t = time.monotonic()
        self.proc = subprocess.Popen(
            [self.bin, *self.umum, "serve", "--listen", f"127.0.0.1:{self.port}"],
            env={**self.env, "SIPKATDES_LOG": "warn", "SIPKATDES_PUBLIC_RATE": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("server berhenti: " + self.proc.stderr.read().decode())
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except Exception:
                pass
            time.sleep(0.005)
        return time.monotonic() - t

    def henti(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def siapkan_data(a, skala, bin_):
    """init + generate + users; reused when already there (unless --ulang)."""
    s = SKALA[skala]
    info = {"per_desa": s["per_desa"], "seed": a.seed}
    env = dict(os.environ)
    env.pop("SIPKATDES_DATABASE_URL", None)
    env.pop("SIPKATDES_DATA_DIR", None)
    data_dir = os.path.join(a.data, skala)
    umum = ["--data-dir", data_dir]
    if s["backend"] == "postgres":
        db = f"sipkatdes_bench_{skala}"
        url = f"{a.pg}/{db}"
        umum += ["--database-url", url]
        info["database"] = db
    penanda = os.path.join(data_dir, "bench-siap.json")
    if os.path.exists(penanda) and not a.ulang:
        with open(penanda) as f:
            info = json.load(f)
        log(f"{skala}: data set yang sudah ada dipakai ({penanda})")
        return umum, env, info
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(data_dir)
    if s["backend"] == "postgres":
        pg = urllib.parse.urlparse(a.pg)
        pgargs = ["-h", pg.hostname or "127.0.0.1", "-p", str(pg.port or 5432), "-U", pg.username or "postgres"]
        jalankan(["dropdb", "--if-exists", *pgargs, info["database"]])
        jalankan(["createdb", *pgargs, info["database"]])
    r, dt = jalankan([bin_, *umum, "init", "--kecamatan", s["kode"]], env=env)
    info["init_detik"] = round(dt, 1)
    info["init"] = r.stdout.strip().splitlines()[0]
    r, dt = jalankan(
        [bin_, *umum, "generate", "--per-desa", str(s["per_desa"]), "--seed", str(a.seed)], env=env
    )
    info["generate_detik"] = round(dt, 1)
    info["generate"] = r.stdout.strip().splitlines()[-1]
    for u, peran, cakupan in AKUN:
        jalankan(
            [bin_, *umum, "user", "add", "--username", u, "--role", peran, "--scope", cakupan, "--password-stdin"],
            env=env,
            input=SANDI + "\n",
        )
    if s["backend"] == "sqlite":
        info["ukuran_db_mb"] = round(os.path.getsize(os.path.join(data_dir, "sipkatdes.db")) / 2**20, 1)
    else:
        r, _ = jalankan(["psql", a.pg + "/" + info["database"], "-Atc", "SELECT pg_database_size(current_database())"])
        info["ukuran_db_mb"] = round(int(r.stdout.strip()) / 2**20, 1)
    with open(penanda, "w") as f:
        json.dump(info, f)
    return umum, env, info


AKUN = [
    ("admin.bench", "admin", ""),
    ("kabupaten.bench", "kabupaten", KECAMATAN[:5]),
    ("kecamatan.bench", "kecamatan", KECAMATAN),
    ("operator.bench", "operator", DESA),
]


def akun_ada(bin_, umum, env):
    """Accounts added to the script after a data set was made are added to it."""
    for u, peran, cakupan in AKUN:
        r, _ = jalankan(
            [bin_, *umum, "user", "add", "--username", u, "--role", peran, "--scope", cakupan, "--password-stdin"],
            env=env,
            input=SANDI + "\n",
            cek=False,
        )
        if r.returncode != 0 and "sudah" not in (r.stdout + r.stderr):
            sys.stderr.write(r.stdout + r.stderr)
            raise SystemExit(f"user add {u} gagal")


def kursor_dalam(k, token, halaman):
    """A change-feed cursor `halaman` pages of 1,000 deep (or the last one)."""
    kursor = ""
    for _ in range(halaman):
        u = k.json(f"/api/v1/sinkronisasi?batas=1000&sejak={q(kursor)}", token)
        kursor = u["cursor"]
        if not u["lanjut"]:
            break
    return kursor


def laporan_tersimpan(k, token_op):
    """A stored (numbered) Buku Aparat of the bench desa: the newest, printed when there is none."""
    st, b = k.minta(f"/api/v1/desa/{DESA}/laporan", kepala={"Authorization": f"Bearer {token_op}"})
    daftar = json.loads(b) if st == 200 else []
    if daftar:
        return daftar[0]["id"]
    st, b = k.minta(
        f"/api/v1/desa/{DESA}/laporan",
        data=b"{}",
        kepala={"Authorization": f"Bearer {token_op}", "Content-Type": "application/json"},
        metode="POST",
    )
    if st != 201:
        raise SystemExit(f"cetak laporan: HTTP {st} {b[:300]!r}")
    return json.loads(b)["id"]


def hitung(srv, a, skala):
    """Counts of the data set, read through the API (as the admin)."""
    k = Klien(srv.url)
    t = k.token("admin.bench")
    desa = k.json("/api/v1/desa", t)
    jumlah_desa = len(desa)
    total = k.json("/api/v1/perangkat?per_halaman=1", t)["total"]
    # Values to search for, from desa spread over the instance.
    contoh = []
    for i in range(0, jumlah_desa, max(1, jumlah_desa // 8)):
        rows = k.json(f"/api/v1/desa/{desa[i]['kode']}/perangkat?per_halaman=12", t)["data"]
        contoh.extend(rows[j] for j in (1, 5, 9) if j < len(rows))
    return jumlah_desa, total, contoh


def berat(dasar, cookie, jalur):
    """Bytes on the wire (gzip accepted) of a page's first visit — the HTML and every stylesheet,
    script and image it links — and of a repeat visit, when the assets come from the browser's
    cache (they are sent with `Cache-Control: public, max-age=3600`)."""
    import gzip as _gzip

    def ambil(u, kepala):
        req = urllib.request.Request(dasar + u, headers={"Accept-Encoding": "gzip", **kepala})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                isi = r.read()
                return r.status, isi, {k.lower(): v for k, v in r.headers.items()}
        except urllib.error.HTTPError as e:
            return e.code, e.read(), {k.lower(): v for k, v in e.headers.items()}

    st, html, h = ambil(jalur, {"Cookie": cookie} if cookie else {})
    if st != 200:
        raise SystemExit(f"berat {jalur}: HTTP {st}")
    teks = _gzip.decompress(html) if h.get("content-encoding") == "gzip" else html
    aset = sorted(set(re.findall(rb'(?:href|src)="(/aset/[^"]+)"', teks)))
    pertama, ulang = len(html), len(html)
    for a_ in aset:
        st, isi, ha = ambil(a_.decode(), {})
        pertama += len(isi)
        if "max-age" not in ha.get("cache-control", ""):
            ulang += len(isi)
    return {
        "jalur": jalur,
        "html": len(html),
        "html_mentah": len(teks),
        "html_gzip": h.get("content-encoding") == "gzip",
        "aset": len(aset),
        "pertama": pertama,
        "ulang": ulang,
    }


def q(v):
    return urllib.parse.quote(v, safe="")


def ukur(a, skala, bin_):
    umum, env, info = siapkan_data(a, skala, bin_)
    akun_ada(bin_, umum, env)
    srv = Server(bin_, umum, env)
    hasil = {
        "skala": skala,
        "judul": SKALA[skala]["judul"],
        "waktu": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "data": info,
        "koneksi": a.koneksi,
        "durasi": a.durasi,
        "muat_rata_awal": muat_rata(),
    }
    try:
        # Start-up with an existing database: the mean of three starts.
        mulai = []
        for _ in range(3):
            mulai.append(srv.mulai())
            srv.henti()
        hasil["mulai_ms"] = round(1000 * sorted(mulai)[1], 1)
        srv.mulai()
        jumlah_desa, total, contoh = hitung(srv, a, skala)
        hasil["jumlah_desa"] = jumlah_desa
        hasil["jumlah_perangkat"] = total
        op = Klien(srv.url).masuk("operator.bench")
        kec = Klien(srv.url).masuk("kecamatan.bench")
        kab = Klien(srv.url).masuk("kabupaten.bench")
        adm = Klien(srv.url).masuk("admin.bench")
        k = Klien(srv.url)
        t_admin = k.token("admin.bench")
        t_kab = k.token("kabupaten.bench")
        t_kec = k.token("kecamatan.bench")
        t_op = k.token("operator.bench")
        time.sleep(2)
        hasil["rss_diam_mb"] = round(rss_kb(srv.proc.pid) / 1024, 1)
        bearer_admin = [f"Authorization: Bearer {t_admin}"]
        bearer_kab = [f"Authorization: Bearer {t_kab}"]
        bearer_kec = [f"Authorization: Bearer {t_kec}"]
        bearer_op = [f"Authorization: Bearer {t_op}"]
        cookie_op = [f"Cookie: {op}"]
        cookie_kec = [f"Cookie: {kec}"]
        cookie_kab = [f"Cookie: {kab}"]
        cookie_adm = [f"Cookie: {adm}"]
        nama = [f"/api/v1/perangkat?cari={q(c['nama'])}" for c in contoh]
        nik = [f"/api/v1/perangkat?cari={c['nik']}" for c in contoh]
        sk = [f"/api/v1/perangkat?cari={q(c['nomor_sk_pengangkatan'])}" for c in contoh]
        # The first three letters of a name: the short prefix a person types first ("Rah").
        awalan = sorted({c["nama"].split()[0][:3] for c in contoh})
        awal = [f"/api/v1/perangkat?cari={q(x)}" for x in awalan]
        # A cursor deep in the history: the middle of the province's feed; 100,000 changes in
        # at national scale.
        kursor = kursor_dalam(k, t_admin, max(1, min(100, total // 2000)))
        laporan = laporan_tersimpan(k, t_op)
        # The public register (issue 19), open for the run; the server runs without its rate
        # limit (SIPKATDES_PUBLIC_RATE=0: one address makes every request here).
        st, _ = k.minta(
            f"/api/v1/kecamatan/{KECAMATAN}/register-publik",
            data=json.dumps({"aktif": True}).encode(),
            kepala={"Authorization": f"Bearer {t_admin}", "Content-Type": "application/json"},
            metode="PUT",
        )
        if st != 200:
            raise SystemExit(f"register publik: HTTP {st}")
        contoh_desa = [d["kode"] for d in k.json("/api/v1/desa", t_kec)][:24]
        hasil["jumlah_cari_awalan"] = len(awal)
        titik = [
            # (name, kind, headers, paths)
            ("Static asset /aset/sipkatdes.css (ceiling)", "statis", [], ["/aset/sipkatdes.css"]),
            ("/healthz (pings both pools)", "statis", [], ["/healthz"]),
            ("Login page GET /", "halaman", [], ["/"]),
            ("Operator's desa page GET /desa/{kode}", "desa", cookie_op, [f"/desa/{DESA}"]),
            ("Kecamatan dashboard GET /dasbor", "halaman", cookie_kec, ["/dasbor"]),
            ("Kabupaten dashboard GET /dasbor", "halaman", cookie_kab, ["/dasbor"]),
            ("Daftar Desa page GET /desa (admin: every desa)", "halaman", cookie_adm, ["/desa"]),
            ("Peringatan page GET /peringatan (kabupaten)", "halaman", cookie_kab, ["/peringatan"]),
            ("Peringatan page GET /peringatan (admin: every desa)", "halaman", cookie_adm, ["/peringatan"]),
            ("API desa list GET /api/v1/desa (kecamatan)", "daftar", bearer_kec, ["/api/v1/desa"]),
            ("API desa list GET /api/v1/desa (kabupaten)", "daftar", bearer_kab, ["/api/v1/desa"]),
            ("API desa list GET /api/v1/desa (admin: every desa)", "daftar", bearer_admin, ["/api/v1/desa"]),
            (
                "API paged list of a desa GET /api/v1/desa/{kode}/perangkat (operator)",
                "daftar",
                bearer_op,
                [f"/api/v1/desa/{DESA}/perangkat"],
            ),
            (
                "API paged list, whole instance GET /api/v1/perangkat?halaman=3 (admin)",
                "daftar",
                bearer_admin,
                ["/api/v1/perangkat?halaman=3&per_halaman=50"],
            ),
            ("API search by name, whole instance (admin)", "cari", bearer_admin, nama),
            ("API search by a 3-letter prefix, whole instance (admin)", "cari", bearer_admin, awal),
            ("API search by NIK, whole instance (admin)", "cari", bearer_admin, nik),
            ("API search by SK number, whole instance (admin)", "cari", bearer_admin, sk),
            (
                "API change feed, first page GET /api/v1/sinkronisasi?batas=100 (kecamatan)",
                "daftar",
                bearer_kec,
                ["/api/v1/sinkronisasi?batas=100"],
            ),
            (
                "API change feed at a deep cursor, batas=100 (admin)",
                "daftar",
                bearer_admin,
                [f"/api/v1/sinkronisasi?batas=100&sejak={q(kursor)}"],
            ),
            (
                "Buku Aparat PDF, unchanged desa again GET /desa/{kode}/buku-aparat.pdf",
                "pdf_ulang",
                cookie_op,
                [f"/desa/{DESA}/buku-aparat.pdf"],
            ),
            (
                "Buku Aparat PDF, a different desa each time (laid out fresh at first)",
                "pdf",
                cookie_kec,
                [f"/desa/{d}/buku-aparat.pdf" for d in contoh_desa],
            ),
            ("Stored report PDF GET /api/v1/laporan/{id}/pdf", "pdf", bearer_op, [f"/api/v1/laporan/{laporan}/pdf"]),
            ("Kecamatan recap XLSX GET /api/v1/rekap.xlsx", "halaman", bearer_kec, [f"/api/v1/rekap.xlsx?wilayah={KECAMATAN}"]),
            ("Public desa page GET /publik/desa/{kode}", "halaman", [], [f"/publik/desa/{d}" for d in contoh_desa]),
            ("Public desa JSON GET /api/v1/publik/desa/{kode}", "daftar", [], [f"/api/v1/publik/desa/{d}" for d in contoh_desa]),
            ("Public kecamatan page GET /publik/kecamatan/{kode}", "halaman", [], [f"/publik/kecamatan/{KECAMATAN}"]),
        ]
        # Page weight (issue 16): first and repeat visit, compressed where the server compresses.
        id_contoh = k.json(f"/api/v1/desa/{DESA}/perangkat?per_halaman=1", t_op)["data"][0]["id"]
        hasil["berat"] = [
            dict(berat(srv.url, "", "/"), nama="Login page"),
            dict(berat(srv.url, op, f"/desa/{DESA}"), nama="Operator: desa page"),
            dict(berat(srv.url, op, f"/desa/{DESA}/perangkat/baru"), nama="Operator: entry form"),
            dict(berat(srv.url, op, f"/perangkat/{id_contoh}"), nama="Operator: an official's record"),
            dict(berat(srv.url, op, f"/perangkat/{id_contoh}/riwayat"), nama="Operator: Riwayat"),
            dict(berat(srv.url, kec, "/dasbor"), nama="Kecamatan: dashboard"),
            dict(berat(srv.url, kec, "/peringatan"), nama="Kecamatan: Peringatan"),
            dict(berat(srv.url, kab, "/dasbor"), nama="Kabupaten: dashboard"),
            dict(berat(srv.url, adm, "/desa"), nama="Admin: Daftar Desa (every desa)"),
            dict(berat(srv.url, "", f"/publik/desa/{DESA}"), nama="Public desa page"),
        ]
        baris = []
        for koneksi in a.koneksi:
            for nama_titik, jenis, kepala, jalur in titik:
                if a.hanya and not re.search(a.hanya, nama_titik) and jenis != "statis":
                    continue
                # One request first: it must succeed (and warms the caches like a second visitor).
                kl = Klien(srv.url)
                # The requests of the endpoint before may still be running in the server
                # (wrk closes its connections; the server and the database finish what they
                # started: after a row that timed out, minutes of work): wait until it is idle.
                tenang(srv.proc.pid)
                try:
                    st, isi = kl.minta(jalur[0], kepala=dict(h.split(": ", 1) for h in kepala))
                except (TimeoutError, OSError) as e:
                    log(f"{skala} -c{koneksi}: {nama_titik}: no answer to the first request ({e})")
                    baris.append({"nama": nama_titik, "jenis": jenis, "bytes": 0, "koneksi": koneksi, "p50": 0,
                                  "p99": 0, "rps": 0, "permintaan": 0, "non_2xx": 0, "galat_soket": "first request timed out"})
                    continue
                if st != 200:
                    raise SystemExit(f"{nama_titik}: HTTP {st} {isi[:300]!r}")
                log(f"{skala} -c{koneksi}: {nama_titik}")
                r = wrk(srv.url, kepala, jalur, a.durasi, koneksi)
                r.update({"nama": nama_titik, "jenis": jenis, "bytes": len(isi), "koneksi": koneksi})
                baris.append(r)
                log(f"   p50 {r['p50']:.2f} ms  p99 {r['p99']:.2f} ms  {r['rps']:.0f}/s")
        hasil["titik"] = baris
        hasil["rss_puncak_mb"] = round(rss_kb(srv.proc.pid, "VmHWM") / 1024, 1)
        hasil["rss_akhir_mb"] = round(rss_kb(srv.proc.pid) / 1024, 1)
    finally:
        srv.henti()
    hasil["muat_rata_akhir"] = muat_rata()
    return hasil


def target_untuk(h, b):
    """The p99 target (ms) of a row at the target concurrency, or None."""
    if b["jenis"] == "statis" or b.get("koneksi") != KONEKSI_TARGET:
        return None
    if b["jenis"] == "pdf_ulang":
        return TARGET_PDF_ULANG
    if b["jenis"] == "pdf":
        return TARGET_PDF
    return TARGET_PROVINSI if h["skala"] == "provinsi" else TARGET_NASIONAL


def tabel(h, koneksi):
    baris_k = [b for b in h["titik"] if b.get("koneksi") == koneksi]
    statis = next((s for s in baris_k if s["jenis"] == "statis"), None)
    out = [
        "| endpoint | p50 ms | p99 ms | req/s | p50 × static | p99 × static | req/s ÷ static | target | |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for b in baris_k:
        r50 = b["p50"] / statis["p50"] if statis else 0
        r99 = b["p99"] / statis["p99"] if statis else 0
        rr = b["rps"] / statis["rps"] if statis else 0
        target = target_untuk(h, b)
        syarat = "" if target is None else f"p99 < {target}"
        ok = "" if target is None else ("met" if b["p99"] < target and b["rps"] > 0 else "**missed**")
        if b["rps"] == 0:
            ok += " (no answer within wrk's 10 s timeout)"
        if b["jenis"] == "desa" and koneksi == KONEKSI_TARGET:
            syarat += f", ≥ {RASIO_DESA} × static"
            ok_rasio = rr >= RASIO_DESA
            ok = "met" if ok == "met" and ok_rasio else "**missed**"
        if b["non_2xx"] or b["galat_soket"]:
            ok += f" (non-2xx {b['non_2xx']}, {b['galat_soket']})"
        out.append(
            f"| {b['nama']} | {b['p50']:.2f} | {b['p99']:.2f} | {b['rps']:.0f} | {r50:.1f} | {r99:.1f} | "
            f"{rr:.3f} | {syarat} | {ok} |"
        )
    return "\n".join(out)


def tulis_md(keluaran):
    with open(os.path.join(HASIL, "mesin.json")) as f:
        m = json.load(f)
    semua = []
    for s in SKALA:
        p = os.path.join(HASIL, f"{s}.json")
        if os.path.exists(p):
            with open(p) as f:
                semua.append(json.load(f))
    t = [
        "# SIPKATDES benchmarks",
        "",
        "Written by `python3 bench/bench.py` (see `bench/README.md`); do not edit the tables by hand —",
        "the notes below them are kept in `bench/CATATAN.md` and copied in.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['inti']} cores; RAM {m['ram_mb']} MB; {m['os']}",
        f"- {m['rustc']}; {m['postgresql']}; {m['wrk']}",
        "- Load generator: wrk over loopback on the same machine (it takes CPU from the server).",
        "",
    ]
    for h in semua:
        if isinstance(h["koneksi"], int):
            # A result of the old script (one concurrency for every row).
            for b in h["titik"]:
                b.setdefault("koneksi", h["koneksi"])
            h["koneksi"] = sorted({b["koneksi"] for b in h["titik"]})
        d = h["data"]
        t += [
            f"## {h['judul']}",
            "",
            f"Run {h['waktu']}; wrk -d{h['durasi']}s per endpoint at -c{', -c'.join(str(k) for k in h['koneksi'])} "
            f"(-t1 at -c1, -t2 from -c16); load average before {h['muat_rata_awal']}, after {h['muat_rata_akhir']}. "
            f"Targets (issue 16) are judged at -c{KONEKSI_TARGET}.",
            "",
            f"- Data: {h['jumlah_desa']:,} desa, {h['jumlah_perangkat']:,} officials "
            f"(`generate --per-desa {d['per_desa']} --seed {d['seed']}`), database {d.get('ukuran_db_mb', '?')} MB",
            f"- `init`: {d.get('init_detik', '?')} s — {d.get('init', '')}",
            f"- `generate`: {d.get('generate_detik', '?')} s — {d.get('generate', '')}",
            f"- Start-up with the existing database (process start → `/healthz` 200, median of 3): "
            f"{h['mulai_ms']} ms",
            f"- Memory (RSS): idle after start and login {h['rss_diam_mb']} MB; peak during the run "
            f"{h['rss_puncak_mb']} MB; at the end {h['rss_akhir_mb']} MB",
            "",
        ]
        for k in h["koneksi"]:
            t += [f"### {h['judul'].split(':')[0]}, -c{k}", "", tabel(h, k), ""]
        if h.get("berat"):
            t += [
                f"### {h['judul'].split(':')[0]}: page weight (target < 50 KB compressed on first visit)",
                "",
                "| page | HTML on the wire | HTML uncompressed | assets | first visit | repeat visit | |",
                "|---|---:|---:|---:|---:|---:|---|",
            ]
            for w in h["berat"]:
                ok = "met" if w["pertama"] < 50 * 1024 else "**missed**"
                t.append(
                    f"| {w['nama']} | {w['html'] / 1024:.1f} KB{' (gzip)' if w['html_gzip'] else ''} | "
                    f"{w['html_mentah'] / 1024:.1f} KB | {w['aset']} | {w['pertama'] / 1024:.1f} KB | "
                    f"{w['ulang'] / 1024:.1f} KB | {ok} |"
                )
            t.append("")
    lambat = os.path.join(HASIL, "lambat.json")
    if os.path.exists(lambat):
        with open(lambat) as f:
            l = json.load(f)
        ok = "met" if l["total_detik"] < 15 else "**missed**"
        t += [
            "## Slow link: SOP steps 2–5 in the browser",
            "",
            f"Written by `node bench/lambat.cjs` ({l['waktu']}): Chromium on a phone-sized window, "
            f"{l['jaringan']}; the release build on SQLite; the SK a {l['ukuran_sk_kb']} KB scan. Each step "
            "is timed from the click to the next page's `load`; typing is instant (Playwright fills the "
            "fields), so the times are what the operator waits.",
            "",
            "| step | waiting | downloaded |",
            "|---|---:|---:|",
        ]
        for x in l["langkah"]:
            t.append(f"| {x['nama']} | {x['detik']:.1f} s | {x['kb_turun']:.1f} KB |")
        t += [f"| **SOP steps 2–5 in all** (target < 15 s) | **{l['total_detik']:.1f} s** | |", "", f"Target: {ok}.", ""]
    bin_ = os.path.join(HASIL, "biner.json")
    if os.path.exists(bin_):
        with open(bin_) as f:
            b = json.load(f)
        t += ["## Binary", "", f"- `target/release/sipkatdes`: {b['mb']} MB ({b['bytes']:,} bytes)", ""]
    # The SK check's own benchmark (bench/sk, `examples/sk_bench.rs`) writes its section between
    # markers in BENCHMARKS.md; a run of this script keeps that block.
    if os.path.exists(keluaran):
        with open(keluaran) as f:
            lama = f.read()
        a, b = lama.find("<!-- sk_bench: awal -->"), lama.find("<!-- sk_bench: akhir -->")
        if a >= 0 and b > a:
            t += [lama[a : b + len("<!-- sk_bench: akhir -->")], ""]
    catatan = os.path.join(BENCH, "CATATAN.md")
    if os.path.exists(catatan):
        with open(catatan) as f:
            t += [f.read().rstrip(), ""]
    with open(keluaran, "w") as f:
        f.write("\n".join(t))
    log(f"ditulis: {keluaran}")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--skala", choices=["provinsi", "nasional", "semua"], default="semua")
    p.add_argument("--bin", help="a release binary (default: cargo build --release)")
    p.add_argument("--data", default=os.path.join(tempfile.gettempdir(), "sipkatdes-bench"),
                   help="where the data sets live (reused between runs)")
    p.add_argument("--pg", default=os.environ.get("SIPKATDES_BENCH_PG", "postgres://postgres@127.0.0.1:5432"),
                   help="PostgreSQL server for the national scale (its databases are created here)")
    p.add_argument("--durasi", type=int, default=10, help="seconds of wrk per endpoint")
    p.add_argument("--koneksi", default="1,16,64",
                   help="concurrent connections of wrk, comma-separated (each endpoint at each)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ulang", action="store_true", help="set the data sets up again even when present")
    p.add_argument("--hapus", action="store_true", help="drop the data sets (and the PostgreSQL database) afterwards")
    p.add_argument("--tulis", action="store_true",
                   help="only write BENCHMARKS.md again from the results in bench/hasil/ (no measuring)")
    p.add_argument("--hanya", help="only the endpoints whose name matches this regex (a quick re-measure)")
    p.add_argument("--keluaran", default=os.path.join(ROOT, "BENCHMARKS.md"))
    a = p.parse_args()
    a.koneksi = [int(k) for k in a.koneksi.split(",") if k.strip()]
    if a.tulis:
        tulis_md(a.keluaran)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk tidak ada (apt-get install wrk)")
    if a.bin:
        bin_ = os.path.abspath(a.bin)
    else:
        jalankan(["cargo", "build", "--release", "--manifest-path", os.path.join(ROOT, "Cargo.toml")])
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        bin_ = os.path.join(target, "release", "sipkatdes")
    os.makedirs(HASIL, exist_ok=True)
    with open(os.path.join(HASIL, "mesin.json"), "w") as f:
        json.dump(mesin(), f, indent=1)
    with open(os.path.join(HASIL, "biner.json"), "w") as f:
        n = os.path.getsize(bin_)
        json.dump({"bytes": n, "mb": round(n / 2**20, 1)}, f)
    for s in (["provinsi", "nasional"] if a.skala == "semua" else [a.skala]):
        h = ukur(a, s, bin_)
        if a.hanya:
            # A partial re-measure replaces only its own rows.
            p_ = os.path.join(HASIL, f"{s}.json")
            if os.path.exists(p_):
                with open(p_) as f:
                    lama = json.load(f)
                baru = {(b["nama"], b["koneksi"]): b for b in h["titik"]}
                lama["titik"] = [baru.pop((b["nama"], b.get("koneksi")), b) for b in lama["titik"]] + list(
                    baru.values()
                )
                h = lama
        with open(os.path.join(HASIL, f"{s}.json"), "w") as f:
            json.dump(h, f, indent=1)
        tulis_md(a.keluaran)
        if a.hapus:
            shutil.rmtree(os.path.join(a.data, s), ignore_errors=True)
            if SKALA[s]["backend"] == "postgres":
                pg = urllib.parse.urlparse(a.pg)
                jalankan(["dropdb", "--if-exists", "-h", pg.hostname or "127.0.0.1", "-p", str(pg.port or 5432),
                          "-U", pg.username or "postgres", f"sipkatdes_bench_{s}"])


if __name__ == "__main__":
    main()
