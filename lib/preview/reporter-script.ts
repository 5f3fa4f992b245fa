import { ERRORS_PATH, REPORTER_PATH } from "./paths";

/**
 * The classic script injected first into every HTML page of a dev preview. It reports uncaught
 * errors, unhandled rejections, console.error, scripts and stylesheets that failed to load and Vite's
 * error overlay to ERRORS_PATH on the page's own origin (the preview cookie goes along), each distinct
 * error once per page, batched. After load + 2 s it sends `{type:"loaded", errors:n}`: a page that
 * loaded without errors clears the project's list.
 */
export const REPORTER_SOURCE = `(function () {
  if (window.__slipwayReporter) return;
  window.__slipwayReporter = true;
  var endpoint = ${JSON.stringify(ERRORS_PATH)};
  var seen = {};
  var queue = [];
  var reported = 0;
  var timer = null;
  function cut(s, n) { s = String(s == null ? "" : s); return s.length > n ? s.slice(0, n) : s; }
  function post(body) {
    try {
      fetch(endpoint, { method: "POST", credentials: "same-origin", keepalive: true, headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).catch(function () {});
    } catch (e) {}
  }
  function flush() {
    timer = null;
    if (!queue.length) return;
    var batch = queue.splice(0, 10);
    post({ type: "errors", errors: batch });
    if (queue.length) timer = setTimeout(flush, 500);
  }
  function report(kind, message, stack, source, line, column) {
    message = cut(message || "Unknown error", 2000);
    var key = kind + "|" + message + "|" + (source || "") + "|" + (line || "");
    if (seen[key]) return;
    seen[key] = true;
    reported++;
    var item = { kind: kind, message: message };
    if (stack) item.stack = cut(stack, 8000);
    if (source) item.source = cut(source, 2000);
    if (typeof line === "number" && line > 0) item.line = line;
    if (typeof column === "number" && column > 0) item.column = column;
    queue.push(item);
    if (!timer) timer = setTimeout(flush, 100);
  }
  function describe(value) {
    if (value instanceof Error) return { message: value.name + ": " + value.message, stack: value.stack };
    if (typeof value === "string") return { message: value };
    try { return { message: JSON.stringify(value) }; } catch (e) { return { message: String(value) }; }
  }
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.tagName === "SCRIPT" || target.tagName === "LINK")) {
      var url = target.src || target.href;
      report("resource", "Failed to load " + (target.tagName === "SCRIPT" ? "script" : "stylesheet") + " " + url, null, url);
      return;
    }
    var d = event.error ? describe(event.error) : { message: event.message };
    report("error", d.message || event.message, d.stack, event.filename, event.lineno, event.colno);
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    var d = describe(event.reason);
    report("unhandled_rejection", "Unhandled rejection: " + d.message, d.stack);
  });
  var original = console.error;
  console.error = function () {
    var parts = [], stack = null;
    for (var i = 0; i < arguments.length; i++) {
      var d = describe(arguments[i]);
      parts.push(d.message);
      if (!stack && d.stack) stack = d.stack;
    }
    if (!stack) { try { stack = new Error().stack.split("\\n").slice(2).join("\\n"); } catch (e) {} }
    report("console_error", parts.join(" "), stack);
    return original.apply(console, arguments);
  };
  function overlay(node) {
    setTimeout(function () {
      var root = node.shadowRoot || node;
      var msg = root.querySelector && root.querySelector(".message");
      var file = root.querySelector && root.querySelector(".file");
      var text = (msg && msg.textContent) || root.textContent || "Vite error";
      var place = file && file.textContent ? file.textContent.trim() : "";
      var m = /^(.*?):(\\d+)(?::(\\d+))?$/.exec(place);
      var source = m ? (m[1].indexOf("/app/") === 0 ? "/@fs" + m[1] : m[1]) : null;
      report("vite_overlay", text.trim(), root.textContent, source, m ? Number(m[2]) : undefined, m && m[3] ? Number(m[3]) : undefined);
    }, 50);
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) { if (n.nodeName === "VITE-ERROR-OVERLAY") overlay(n); });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  window.addEventListener("load", function () {
    setTimeout(function () { flush(); post({ type: "loaded", errors: reported }); }, 2000);
  });
})();
`;

/** Adds the reporter's script tag as the first thing the page runs (after `<head>`, else at the start). */
export function injectReporter(html: string): string {
  const tag = `<script src="${REPORTER_PATH}"></script>`;
  const head = /<head(\s[^>]*)?>/i.exec(html);
  if (head) return html.slice(0, head.index + head[0].length) + tag + html.slice(head.index + head[0].length);
  const htmlTag = /<html(\s[^>]*)?>/i.exec(html);
  if (htmlTag) return html.slice(0, htmlTag.index + htmlTag[0].length) + tag + html.slice(htmlTag.index + htmlTag[0].length);
  return tag + html;
}
