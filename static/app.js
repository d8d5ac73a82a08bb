// Academy Admin: the little behaviour plain HTML lacks. No inline scripts anywhere (strict CSP).
(function () {
  "use strict";

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

  // Pricing matrix: a focused cell opens its edit box with Enter or Space; in the box, Escape
  // cancels (Enter submits the form by itself). Typing replaces the selected old price.
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
    if (event.key === "Escape") {
      var cell = target.closest("td.price-cell.editing");
      var cancel = cell && cell.querySelector(".cell-cancel");
      if (cancel) {
        event.preventDefault();
        cancel.click();
      }
    }
  });
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
