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

// The header: the phone menu button, the grouped sections, the program switch.
(function () {
  "use strict";
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // One section menu open at a time; a click elsewhere or Escape closes it.
  var groups = document.querySelectorAll(".nav-group");
  Array.prototype.forEach.call(groups, function (group) {
    group.addEventListener("toggle", function () {
      if (!group.open) {
        return;
      }
      Array.prototype.forEach.call(groups, function (other) {
        if (other !== group) {
          other.open = false;
        }
      });
    });
  });
  document.addEventListener("click", function (event) {
    Array.prototype.forEach.call(groups, function (group) {
      if (group.open && !group.contains(event.target)) {
        group.open = false;
      }
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    Array.prototype.forEach.call(groups, function (group) {
      if (group.open) {
        group.open = false;
        group.querySelector("summary").focus();
      }
    });
  });
  // The program switches on a deliberate choice: a click on an option, Enter, or the Switch
  // button; the arrow keys only move through the list.
  var select = document.getElementById("program-switch");
  if (select && select.form) {
    var byPointer = false;
    select.addEventListener("pointerdown", function () { byPointer = true; });
    select.addEventListener("keydown", function (event) {
      byPointer = false;
      if (event.key === "Enter") {
        event.preventDefault();
        select.form.requestSubmit();
      }
    });
    select.addEventListener("change", function () {
      if (byPointer) {
        select.form.requestSubmit();
      }
    });
  }
  // A page reached by switching program starts with the focus on its main heading.
  if (document.body && document.body.getAttribute("data-focus") === "heading") {
    var heading = document.querySelector("main h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  }
})();

// After htmx swaps part of a page, the focused element may be gone with it: a refused form
// (422) focuses its error summary; an error message focuses the message region; otherwise the
// same field again (by id), or the first field of what came in (after picking a student).
(function () {
  "use strict";
  var lastId = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var active = document.activeElement;
    lastId = active && active !== document.body ? active.id || null : null;
  });
  function focusable(root) {
    return root.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])"
    );
  }
  function focusMessage(el) {
    if (!el.hasAttribute("tabindex")) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var target = detail.target;
    var status = detail.xhr ? detail.xhr.status : 200;
    if (!target || !target.querySelector) {
      return;
    }
    var root = (target.id && document.getElementById(target.id)) || target;
    if (target.id === "flash-region" && status >= 400) {
      if (root.firstElementChild) {
        focusMessage(root.firstElementChild);
      }
      return;
    }
    if (status === 422) {
      var summary = root.querySelector("[role=alert]");
      var invalid = root.querySelector("[aria-invalid=true], .invalid input, .invalid select, .invalid textarea");
      if (summary) {
        focusMessage(summary);
      } else if (invalid) {
        invalid.focus();
      }
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body) {
      return;
    }
    var same = lastId && document.getElementById(lastId);
    if (same && root.contains(same) && !same.disabled) {
      same.focus();
      return;
    }
    var next = focusable(root);
    if (next && root.tagName === "FORM") {
      next.focus();
    }
  });
})();

// Pricing matrix: emptying a cell ends its price; ask before.
document.addEventListener("htmx:confirm", function (event) {
  "use strict";
  var elt = event.detail && event.detail.elt;
  var form = elt && elt.closest && elt.closest("form.cell-form");
  var input = form && form.querySelector("input.price-input");
  if (!input || event.detail.verb !== "post") {
    return;
  }
  if (input.value.trim() === "" && input.defaultValue.trim() !== "") {
    event.preventDefault();
    if (window.confirm("End this price? The cell will have no price from today; the old price stays in its history.")) {
      event.detail.issueRequest(true);
    } else {
      input.value = input.defaultValue;
      input.select();
    }
  }
});

// <button data-print>: print the page (a register, a week) without a separate print view.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
