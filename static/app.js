// Academy Admin: the little behaviour plain HTML lacks. No inline scripts anywhere (strict CSP).
(function () {
  "use strict";

  // A control character (NUL, escape...) cannot be saved: the server refuses the whole form with
  // a 400. Say so beside the field instead, before anything is sent (tabs and line breaks are fine).
  var CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
  function refusedField(form) {
    var previous = form.querySelectorAll(".field-error.client-side");
    Array.prototype.forEach.call(previous, function (p) { p.remove(); });
    var fields = form.querySelectorAll("input:not([type=hidden]), textarea");
    for (var i = 0; i < fields.length; i++) {
      if (CONTROL.test(fields[i].value)) {
        return fields[i];
      }
    }
    return null;
  }
  function showRefused(field) {
    var message = document.createElement("p");
    message.className = "field-error client-side";
    message.id = (field.id || field.name) + "-control-error";
    message.textContent = "This field contains a control character (such as NUL) that cannot be saved. Remove it and try again.";
    field.insertAdjacentElement("afterend", message);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", message.id);
    field.focus();
  }
  document.addEventListener("submit", function (event) {
    var field = event.target.tagName === "FORM" && refusedField(event.target);
    if (field) {
      event.preventDefault();
      event.stopImmediatePropagation();
      showRefused(field);
    }
  }, true);
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    var field = form && refusedField(form);
    if (field) {
      event.preventDefault();
      showRefused(field);
    }
  });

  // <form data-confirm="Delete this course?">: ask before a destructive plain form post.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // A flash message fades after a while; errors stay until the next action.
  document.addEventListener("htmx:afterSwap", function () {
    var region = document.getElementById("flash-region");
    if (region && region.firstElementChild) {
      region.firstElementChild.scrollIntoView({ block: "nearest" });
    }
  });

  // Pricing matrix: arrow keys move between cells; a focused cell opens its edit box with Enter or
  // Space; in the box, Escape cancels (Enter submits the form by itself). Typing replaces the
  // selected old price.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!target || !target.closest) {
      return;
    }
    if ((event.key === "Enter" || event.key === " ") && target.matches("td.price-cell.editable")) {
      event.preventDefault();
      if (window.htmx) {
        window.htmx.trigger(target, "edit");
      }
      return;
    }
    var step = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] }[event.key];
    if (step && target.matches("td.price-cell[tabindex]")) {
      var next = neighbourCell(target, step[0], step[1]);
      if (next) {
        event.preventDefault();
        next.focus();
      }
      return;
    }
    if (event.key === "Escape") {
      var cell = target.closest("td.price-cell.editing");
      var cancel = cell && cell.querySelector(".cell-cancel");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });
  // The nearest editable cell from `cell` in a direction (rows dr, columns dc) of the same table.
  function neighbourCell(cell, dr, dc) {
    var editable = function (el) { return el && el.matches("td.price-cell[tabindex]"); };
    var row = cell.parentElement;
    var col = Array.prototype.indexOf.call(row.children, cell);
    if (dc !== 0) {
      var i = col + dc;
      while (row.children[i] && !editable(row.children[i])) {
        i += dc;
      }
      return row.children[i] || null;
    }
    var other = dr < 0 ? row.previousElementSibling : row.nextElementSibling;
    while (other && !editable(other.children[col])) {
      other = dr < 0 ? other.previousElementSibling : other.nextElementSibling;
    }
    return other ? other.children[col] : null;
  }
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("input.price-input")) {
      target.select();
    }
  });
  // The history of a cell comes into view beside (or below) the matrix.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "history-panel") {
      event.target.scrollIntoView({ block: "nearest" });
    }
  });
})();

// Catalogue: after htmx swaps the curriculum tree (a move, a delete), keep the keyboard where it
// was: focus the same control again (the moved item's button), or its enabled neighbour.
(function () {
  "use strict";
  var lastLabel = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    lastLabel = active && active.getAttribute ? active.getAttribute("aria-label") : null;
    if (!lastLabel && event.detail && event.detail.elt) {
      var button = event.detail.elt.querySelector && event.detail.elt.querySelector("button[aria-label]");
      lastLabel = button ? button.getAttribute("aria-label") : null;
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!lastLabel || !target || !target.classList || !target.classList.contains("tree")) {
      return;
    }
    var tree = document.getElementById(target.id) || target;
    var buttons = tree.querySelectorAll("button[aria-label]");
    for (var i = 0; i < buttons.length; i++) {
      if (buttons[i].getAttribute("aria-label") === lastLabel) {
        var button = buttons[i];
        if (button.disabled) {
          var movers = button.closest(".movers");
          button = movers ? movers.querySelector("button:not([disabled])") : null;
        }
        if (button) {
          // After the other swap handlers (the message region scrolls itself into view).
          window.setTimeout(function () {
            button.focus({ preventScroll: true });
            button.scrollIntoView({ block: "center" });
          }, 0);
        }
        break;
      }
    }
    lastLabel = null;
  });
})();
