// Forms speak Bahasa Indonesia, whatever the browser's language (issue 14, point 17). Every form
// is marked novalidate, so the browser never shows its own bubbles ("Please fill out this
// field."); this script only helps before sending, the server checks everything again.
//  - A required field left empty, or a required box not ticked, gets a message beside it and
//    the form is not sent.
//  - A date box (data-tanggal) accepts a date as people write it (27-03-2023, 27/03/2023,
//    27 Maret 2023) and says below it how it was read ("Terbaca: 27 Maret 2023").
(function () {
  var BULAN = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus',
    'September', 'Oktober', 'November', 'Desember'];
  var PENDEK = { agt: 8, agst: 8, ags: 8, peb: 2, pebruari: 2, nop: 11, nopember: 11, okt: 10, des: 12 };

  // The same reading as the server's perangkat::data::tanggal_ketikan.
  function bacaTanggal(s) {
    var t = s.trim();
    var iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    var h, b, y;
    if (iso) {
      y = iso[1]; b = iso[2]; h = iso[3];
    } else {
      var p = t.split(/[-\/.,\s]+/).filter(function (x) { return x; });
      if (p.length !== 3) return null;
      h = p[0]; b = p[1]; y = p[2];
      if (h.length === 4 && y.length <= 2) { var s2 = h; h = y; y = s2; }
    }
    if (!/^\d{4}$/.test(y) || !/^\d{1,2}$/.test(h)) return null;
    var bulan;
    if (/^\d+$/.test(b)) {
      if (b.length > 2) return null;
      bulan = Number(b);
    } else {
      var k = b.toLowerCase();
      bulan = PENDEK[k];
      if (!bulan && k.length >= 3) {
        for (var i = 0; i < 12; i++) {
          if (BULAN[i].toLowerCase().indexOf(k) === 0) { bulan = i + 1; break; }
        }
      }
    }
    if (!bulan || bulan < 1 || bulan > 12) return null;
    var hari = Number(h), tahun = Number(y);
    var d = new Date(Date.UTC(tahun, bulan - 1, hari));
    if (d.getUTCFullYear() !== tahun || d.getUTCMonth() !== bulan - 1 || d.getUTCDate() !== hari) return null;
    return hari + ' ' + BULAN[bulan - 1] + ' ' + tahun;
  }

  var CONTOH = 'Tulis misalnya 27-03-2023 atau 27 Maret 2023.';

  function tampilkanTanggal(input) {
    var p = document.getElementById('baca-' + input.id);
    if (!p) return;
    var v = input.value.trim();
    if (!v) {
      p.textContent = CONTOH;
      p.classList.remove('tanggal-salah');
      return;
    }
    var terbaca = bacaTanggal(v);
    p.textContent = terbaca ? 'Terbaca: ' + terbaca : 'Belum terbaca sebagai tanggal. ' + CONTOH;
    p.classList.toggle('tanggal-salah', !terbaca);
  }

  // The name of a field for its message: its label without the asterisk and the hint.
  function namaIsian(el) {
    var label = el.labels && el.labels[0];
    if (!label) return 'Isian ini';
    var t = label.cloneNode(true);
    var tanda = t.querySelectorAll('.wajib, input');
    for (var i = 0; i < tanda.length; i++) tanda[i].remove();
    return t.textContent.replace(/\s+/g, ' ').replace(/\s*\(.*\)\s*$/, '').trim() || 'Isian ini';
  }

  function pesanUntuk(el) {
    if (el.disabled || !el.required) return '';
    if (el.type === 'checkbox') {
      return el.checked ? '' : 'Centang kotak ini setelah bagiannya dicocokkan dengan SK.';
    }
    if (el.type === 'file') {
      return el.files && el.files.length ? '' : 'Pilih berkasnya lebih dulu.';
    }
    if (!el.value.trim()) return namaIsian(el) + ' wajib diisi.';
    if (el.hasAttribute('data-tanggal') && !bacaTanggal(el.value)) {
      return namaIsian(el) + ' bukan tanggal yang valid. ' + CONTOH;
    }
    return '';
  }

  function tandai(el, pesan) {
    var id = el.id ? el.id + '-wajib' : '';
    var p = id && document.getElementById(id);
    if (!p && pesan && id) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'galat-isian';
      var tempat = el.type === 'checkbox' && el.closest('label') ? el.closest('label') : el;
      var berkas = el.type === 'file' && el.parentNode.querySelector('.pilih-berkas');
      (berkas || tempat).insertAdjacentElement('afterend', p);
      var desc = el.getAttribute('aria-describedby');
      el.setAttribute('aria-describedby', desc ? desc + ' ' + id : id);
    }
    if (p) {
      p.textContent = pesan;
      p.hidden = !pesan;
    }
    if (pesan) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
    var isian = el.closest('.isian');
    if (isian && !isian.querySelector('.galat-isian:not([hidden]):not([id$="-wajib"])')) {
      isian.classList.toggle('isian-galat', !!pesan);
    }
  }

  // The fields of a form, also those outside it that belong to it (form="…").
  function isianForm(form) {
    var semua = form.elements;
    var hasil = [];
    for (var i = 0; i < semua.length; i++) {
      if (semua[i].required) hasil.push(semua[i]);
    }
    return hasil;
  }

  var forms = document.querySelectorAll('form');
  for (var i = 0; i < forms.length; i++) {
    forms[i].noValidate = true;
    forms[i].addEventListener('submit', function (e) {
      // "Simpan Draf" keeps an unfinished entry: nothing is required for it.
      if (e.submitter && e.submitter.hasAttribute('formnovalidate')) return;
      var pertama = null;
      var isian = isianForm(e.target);
      for (var j = 0; j < isian.length; j++) {
        var pesan = pesanUntuk(isian[j]);
        tandai(isian[j], pesan);
        if (pesan && !pertama) pertama = isian[j];
      }
      if (pertama) {
        e.preventDefault();
        e.stopImmediatePropagation();
        var fokus = pertama.type === 'file' && pertama.parentNode.querySelector('.pilih-berkas button');
        (fokus || pertama).focus();
      }
    });
  }

  document.addEventListener('input', function (e) {
    var el = e.target;
    if (el.hasAttribute && el.hasAttribute('data-tanggal')) tampilkanTanggal(el);
    if (el.getAttribute && el.getAttribute('aria-invalid') === 'true' && !pesanUntuk(el)) tandai(el, '');
  });
  document.addEventListener('change', function (e) {
    var el = e.target;
    if (el.getAttribute && el.getAttribute('aria-invalid') === 'true' && !pesanUntuk(el)) tandai(el, '');
  });

  var tanggal = document.querySelectorAll('input[data-tanggal]');
  for (var t = 0; t < tanggal.length; t++) tampilkanTanggal(tanggal[t]);
})();
