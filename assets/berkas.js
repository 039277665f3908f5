// File inputs, in Bahasa Indonesia and checked before sending.
//  - The browser's own button and status ("Choose File", "No file chosen") are in the browser's
//    language: each file input is shown instead as a button "Pilih Berkas" and a line saying
//    which file was chosen ("sk-pengangkatan.pdf, 1,2 MB" or "Belum ada berkas dipilih"). The
//    real input stays in the form (hidden from sight and from the keyboard) and is what is sent.
//  - The size of a chosen file (data-batas-mb) is checked: a message beside it, and its form is
//    held until a smaller file is chosen (the server checks it again and keeps the entry).
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
      var pilih = input.parentNode.querySelector('.pilih-berkas');
      (pilih || input).insertAdjacentElement('afterend', p);
      var desc = input.getAttribute('aria-describedby');
      input.setAttribute('aria-describedby', desc ? desc + ' ' + id : id);
    }
    p.textContent = pesan;
    p.hidden = !pesan;
    var isian = input.closest('.isian');
    if (isian) isian.classList.toggle('isian-galat', !!pesan);
  }

  function namaTerpilih(input) {
    var f = input.files && input.files[0];
    return f ? f.name + ', ' + mb(f.size) + ' MB' : 'Belum ada berkas dipilih';
  }

  // The picker shown in place of the browser's own.
  function pasangPemilih(input) {
    var wadah = document.createElement('div');
    wadah.className = 'pilih-berkas';
    var tombol = document.createElement('button');
    tombol.type = 'button';
    tombol.className = 'tombol';
    tombol.id = input.id + '-pilih';
    tombol.textContent = 'Pilih Berkas';
    var status = document.createElement('span');
    status.className = 'nama-berkas';
    status.id = input.id + '-terpilih';
    status.setAttribute('aria-live', 'polite');
    status.textContent = namaTerpilih(input);
    // The button is described by the field's own label and says what is chosen.
    var label = input.labels && input.labels[0];
    if (label && !label.id) label.id = input.id + '-label';
    var desc = input.getAttribute('aria-describedby');
    tombol.setAttribute('aria-describedby', (label ? label.id + ' ' : '') + status.id + (desc ? ' ' + desc : ''));
    wadah.appendChild(tombol);
    wadah.appendChild(status);
    input.insertAdjacentElement('afterend', wadah);
    input.classList.add('berkas-asli');
    input.tabIndex = -1;
    input.setAttribute('aria-hidden', 'true');
    tombol.addEventListener('click', function () { input.click(); });
    // The field's label opens the picker too (it points at the hidden input), and focus goes
    // to the button.
    if (label) label.addEventListener('click', function () { tombol.focus(); });
    input.addEventListener('change', function () { status.textContent = namaTerpilih(input); });
    // A form put back by the browser (Back) keeps its file.
    window.addEventListener('pageshow', function () { status.textContent = namaTerpilih(input); });
  }

  var semuaBerkas = document.querySelectorAll('input[type=file]');
  for (var j = 0; j < semuaBerkas.length; j++) pasangPemilih(semuaBerkas[j]);

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
          var t = document.getElementById(besar.id + '-pilih');
          (t || besar).focus();
        }
      });
    }
  }
})();
