// tests/browser/serve.mjs: a static server on 127.0.0.1 for the browser checks, with the URL
// layout the askonce server provides (renderers/html.hpp):
//   /assets/uswds/...          node_modules/@uswds/uswds/dist/...
//   /assets/askonce/form.{tag}.js   renderers/assets/form.js, the shared form runtime, only
//                              under its own tag (the first 16 hex digits of its SHA-256, as
//                              renderers/script.hpp names it): a golden page that names another
//                              runtime gets 404, so stale goldens show
//   /pages/{name}.html         tests/golden/html/{name}.html (the rendered pages)
// Run alone (`node tests/browser/serve.mjs`) it prints its address and serves until stopped.
import http from "node:http";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const goldens = path.join(root, "tests/golden/html");
const uswds = path.join(root, "node_modules/@uswds/uswds/dist");

const types = {
  ".html": "text/html; charset=utf-8", ".js": "application/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".png": "image/png",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".map": "application/json",
};

export const runtime = path.join(root, "renderers/assets/form.js");
/// "/assets/askonce/form.<tag>.js" for the runtime as it is now (renderers/script.hpp).
export function runtimeUrl() {
  const tag = crypto.createHash("sha256").update(fs.readFileSync(runtime)).digest("hex").slice(0, 16);
  return `/assets/askonce/form.${tag}.js`;
}

function inside(base, rel) {
  const p = path.resolve(base, "." + path.posix.normalize("/" + rel));
  return p.startsWith(base + path.sep) ? p : null;
}

export function serve() {
  const js = runtimeUrl();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let file = null;
    let m;
    if (url.pathname.startsWith("/assets/uswds/")) file = inside(uswds, url.pathname.slice("/assets/uswds/".length));
    else if (url.pathname === js) file = runtime;
    else if ((m = /^\/pages\/([A-Za-z0-9_.-]+\.html)$/.exec(url.pathname))) file = inside(goldens, m[1]);
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found\n");
      return;
    }
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      // The policy the pages are made for: no inline script or style is allowed to run.
      "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:",
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const s = await serve();
  console.log(`http://127.0.0.1:${s.address().port}/`);
}
