// The size of a chosen file, checked before it is sent (the server checks it again and keeps
// the entry when it is too big). A file input with data-batas-mb gets a message beside it and
// blocks its form until a smaller file is chosen.
(function () {
  function mb(bait) {
    return (Math.round((bait / 1048576) * 10) / 10).toString().replace('.', ',');
  }
  function periksa(input) {
    var batas = Number(input.getAttribute('data-batas-mb')) * 1048576;
    var f = input.files && input.files[0];
    var pesan = '';
    if (batas > 0 && f && f.size > batas) {
      pesan = 'Berkas ini ' + mb(f.size) + ' MB; paling besar ' + input.getAttribute('data-batas-mb') +
        ' MB. Pindai dengan resolusi lebih rendah (150–200 dpi cukup) atau simpan sebagai PDF hitam-putih/abu-abu, lalu pilih berkasnya lagi.';
    }
    input.setCustomValidity(pesan);
    var id = input.id + '-ukuran';
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'galat-isian';
      p.setAttribute('aria-live', 'polite');
      input.insertAdjacentElement('afterend', p);
      var desc = input.getAttribute('aria-describedby');
      input.setAttribute('aria-describedby', desc ? desc + ' ' + id : id);
    }
    p.textContent = pesan;
    p.hidden = !pesan;
    var isian = input.closest('.isian');
    if (isian) isian.classList.toggle('isian-galat', !!pesan);
  }
  var semua = document.querySelectorAll('input[type=file][data-batas-mb]');
  for (var i = 0; i < semua.length; i++) {
    semua[i].addEventListener('change', function (e) { periksa(e.target); });
    periksa(semua[i]);
    // Forms marked novalidate (the server's messages are the ones shown) are held here.
    if (semua[i].form) {
      semua[i].form.addEventListener('submit', function (e) {
        var besar = e.target.querySelector('input[type=file][data-batas-mb]');
        if (besar && besar.validationMessage) {
          e.preventDefault();
          besar.focus();
        }
      });
    }
  }
})();
