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
