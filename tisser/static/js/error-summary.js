// The error summary of a form that came back with errors takes the focus (ADR 0028): a
// keyboard or screen-reader user starts from the list of what to fix, each item a link to
// its field. Also after an htmx swap that brings a summary in.
(function () {
    "use strict";

    function focusSummary(root) {
        var summary = root.querySelector("[data-error-summary]");
        if (summary) {
            summary.focus();
        }
    }

    document.addEventListener("DOMContentLoaded", function () {
        focusSummary(document);
    });
    document.addEventListener("htmx:afterSettle", function (event) {
        if (event.target && event.target.querySelector) {
            focusSummary(event.target);
        }
    });
    // A link of the summary moves the focus to its field, not only the scroll.
    document.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
        if (!link) {
            return;
        }
        var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
        if (field) {
            event.preventDefault();
            field.focus();
            field.scrollIntoView({block: "center"});
        }
    });
})();
