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
