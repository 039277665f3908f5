// Upload progress for a large spreadsheet (the form works without this script).
(function () {
  var form = document.getElementById('form-impor');
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById('kemajuan');
  var teks = document.getElementById('kemajuan-teks');
  form.addEventListener('submit', function (e) {
    e.preventDefault();
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
      if (xhr.responseURL && xhr.responseURL !== window.location.href) {
        window.location.href = xhr.responseURL;
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener('error', function () {
      teks.textContent = 'Unggahan gagal. Periksa sambungan, lalu coba lagi.';
    });
    xhr.send(new FormData(form));
  });
})();
