// While the machine reads the SK, its status box is kept current without reloading the page
// (a timed reload would take the person's place, focus and ticked boxes away: WCAG 2.2.1). The
// page is fetched again every few seconds and only the box is replaced (it is a polite live
// region); when the reading is done, a button offers to show its marks beside the fields.
(function () {
  var kotak = document.querySelector('.pesan-mesin[data-berjalan]');
  if (!kotak || !window.fetch || !window.DOMParser) return;
  var JEDA = 4000;
  var BATAS = 15 * 60 * 1000;
  var mulai = Date.now();
  function tanya() {
    if (Date.now() - mulai > BATAS) return;
    fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { setTimeout(tanya, JEDA * 2); return; }
        var baru = new DOMParser().parseFromString(html, 'text/html').querySelector('.pesan-mesin');
        if (!baru) return;
        if (baru.hasAttribute('data-berjalan')) {
          kotak.innerHTML = baru.innerHTML;
          setTimeout(tanya, JEDA);
          return;
        }
        baru.removeAttribute('data-berjalan');
        var p = document.createElement('p');
        var tombol = document.createElement('button');
        tombol.type = 'button';
        tombol.className = 'tombol';
        tombol.textContent = 'Tampilkan hasil di samping setiap isian';
        tombol.addEventListener('click', function () { location.reload(); });
        p.appendChild(tombol);
        kotak.innerHTML = baru.innerHTML;
        kotak.className = baru.className;
        kotak.removeAttribute('data-berjalan');
        kotak.appendChild(p);
      })
      .catch(function () { setTimeout(tanya, JEDA * 2); });
  }
  setTimeout(tanya, JEDA);
})();
