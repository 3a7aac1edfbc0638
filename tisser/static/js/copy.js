// "Copier" buttons: progressive enhancement. Each <button data-copy="ID" hidden> copies the
// value of the field with that id; without JavaScript the buttons stay hidden and the
// person selects and copies the text themself.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");

  function announce(key) {
    if (status) {
      status.textContent = "";
      status.textContent = status.dataset[key] || "";
    }
  }

  function copy(field) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value);
    }
    field.focus();
    field.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject();
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(field).then(
        function () { announce("copied"); },
        function () { announce("failed"); }
      );
    });
  });
})();
