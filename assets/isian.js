// What was typed survives the end of a session (issue 14, point 3). When a form is sent, its
// visible fields are kept in this tab's sessionStorage; when the answer is the login page
// ("Sesi Anda telah berakhir"), the login returns to the form's page (server side), and this
// script puts the fields back into the form with the same action, once, for the same person,
// with the version they were typed against, and with a word on the page. After any other answer the
// kept copy is dropped. Passwords, files and the server's hidden fields are never kept.
(function () {
  var KUNCI = 'sipkatdes:isian';
  var BERAKHIR = 'sipkatdes:sesi-berakhir';
  var store;
  try { store = window.sessionStorage; } catch (e) { return; }
  if (!store) return;

  // Whose typing it is: the name in the page's header (a shared office computer).
  function siapa() {
    var n = document.querySelector('.pengguna-nama');
    return n ? n.textContent.trim() : '';
  }

  function simpan(form) {
    var medan = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (!el.name || el.disabled) continue;
      var t = (el.type || '').toLowerCase();
      if (t === 'password' || t === 'file' || t === 'hidden' || t === 'submit' || t === 'button') continue;
      if ((t === 'checkbox' || t === 'radio') && !el.checked) continue;
      medan.push([el.name, el.value, t]);
    }
    if (!medan.length) return;
    // The version the typing was made against: put back too, so that a change made by someone
    // else meanwhile is shown as a conflict, never silently overwritten.
    var versi = form.elements.namedItem('versi');
    store.setItem(KUNCI, JSON.stringify({
      aksi: form.getAttribute('action') || '',
      waktu: Date.now(),
      siapa: siapa(),
      versi: versi && versi.value !== undefined ? versi.value : null,
      medan: medan
    }));
  }

  function pulihkan() {
    var mentah = store.getItem(KUNCI);
    store.removeItem(KUNCI);
    store.removeItem(BERAKHIR);
    if (!mentah) return;
    var d;
    try { d = JSON.parse(mentah); } catch (e) { return; }
    // Only for the same person, and only a recent one.
    if (d.siapa !== siapa() || Date.now() - d.waktu > 2 * 3600 * 1000) return;
    var form = null;
    var semua = document.querySelectorAll('form');
    for (var i = 0; i < semua.length; i++) {
      if ((semua[i].getAttribute('action') || '') === d.aksi) { form = semua[i]; break; }
    }
    if (!form) return;
    var ada = false;
    var versi = form.elements.namedItem('versi');
    if (versi && d.versi !== null && d.versi !== undefined) versi.value = d.versi;
    d.medan.forEach(function (m) {
      var el = form.elements.namedItem(m[0]);
      if (!el) return;
      if (el.length !== undefined && !el.tagName) {
        // A group of radio buttons or checkboxes.
        for (var j = 0; j < el.length; j++) if (el[j].value === m[1]) { el[j].checked = true; ada = true; }
        return;
      }
      if (m[2] === 'checkbox' || m[2] === 'radio') { el.checked = true; ada = true; return; }
      el.value = m[1];
      ada = true;
    });
    if (!ada) return;
    var p = document.createElement('div');
    p.className = 'pesan pesan-info';
    p.id = 'isian-dipulihkan';
    p.setAttribute('role', 'status');
    p.textContent = 'Isian yang Anda ketik sebelum sesi berakhir dikembalikan. Periksa lagi, pilih ulang berkas bila ada, lalu kirim.';
    form.parentNode.insertBefore(p, form);
  }

  if (document.getElementById('sesi-berakhir')) {
    // The login page after the session ended: the copy waits for the return.
    store.setItem(BERAKHIR, '1');
  } else if (document.querySelector('form[action="/masuk"]')) {
    // The login page again (a mistyped password): keep waiting.
  } else if (store.getItem(BERAKHIR)) {
    pulihkan();
  } else {
    store.removeItem(KUNCI);
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form || (form.method || '').toLowerCase() !== 'post' || form.hasAttribute('data-tanpa-simpan')) return;
    if (form.querySelector('input[type=password]')) return;
    simpan(form);
  }, true);
})();
