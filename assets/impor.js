// Upload progress for a large spreadsheet (the form works without this script).
(function () {
  var form = document.getElementById('form-impor');
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.URL) return;
  var bar = document.getElementById('kemajuan');
  var teks = document.getElementById('kemajuan-teks');
  var tombol = form.querySelector('button[type=submit]');
  var sibuk = false;
  function gagal(pesan) {
    sibuk = false;
    tombol.disabled = false;
    teks.textContent = pesan;
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (sibuk) return;
    sibuk = true;
    tombol.disabled = true;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    bar.hidden = false;
    teks.hidden = false;
    teks.textContent = 'Mengunggah…';
    xhr.upload.addEventListener('progress', function (ev) {
      if (!ev.lengthComputable) return;
      var p = Math.round((ev.loaded / ev.total) * 100);
      bar.value = p;
      bar.textContent = p + '%';
      teks.textContent = p < 100 ? 'Mengunggah… ' + p + '%' : 'Membaca dan memeriksa setiap baris…';
    });
    xhr.addEventListener('load', function () {
      var tujuan = xhr.responseURL ? new URL(xhr.responseURL) : null;
      if (xhr.status >= 200 && xhr.status < 300 && tujuan && tujuan.pathname !== new URL(form.action).pathname) {
        // Redirected to the preview: open it.
        window.location.assign(tujuan.href);
      } else {
        // The form again with its message (or an error page): show what the server said.
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener('error', function () { gagal('Unggahan gagal. Periksa sambungan, lalu coba lagi.'); });
    xhr.addEventListener('abort', function () { gagal('Unggahan dibatalkan.'); });
    xhr.addEventListener('timeout', function () { gagal('Unggahan terlalu lama. Coba lagi dengan sambungan yang lebih baik.'); });
    xhr.send(new FormData(form));
  });
})();
