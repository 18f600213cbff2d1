// bench/server/journey.mjs: the citizen's journey under load (`make bench-journey`), a benchmark
// and not a test: it prints figures and asserts nothing about speed.
//
// The real `askonce serve` on a fresh SQLite file (draft keys made beside it), the largest shipped
// form (VA 10-10EZ, 11 steps), answered with tests/va/submissions/valid-004.json (a rich valid
// application: dependents, insurance, income) flattened into form fields as a page posts them.
// It measures, in one run:
//   1. GET /healthz with the same client and connections: the ceiling of this machine and
//      client right now, the reference the other figures are read against;
//   2. step pages per second: GET of every step of a full draft, round and round;
//   3. check-your-answers pages per second, on the same full draft;
//   4. CITIZENS (200) concurrent citizens each going through the whole form: every step's page,
//      its Continue (a POST that checks the step and saves the draft), to check your answers;
//      latency p50, p90, p99 and max of every request, and pages per second.
// Usage: node bench/server/journey.mjs [PATH TO askonce] (default build-bench/server/askonce);
// DURATION=10 seconds per closed-loop figure, CONNECTIONS=32 for 1-3, CITIZENS=200.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const binary = path.resolve(process.argv[2] ?? path.join(root, "build-bench/server/askonce"));
const seconds = Number(process.env.DURATION ?? 10);
const connections = Number(process.env.CONNECTIONS ?? 32);
const citizens = Number(process.env.CITIZENS ?? 200);
const formId = "va_10_10ez";

// ---- the server ------------------------------------------------------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), "askonce-journey-"));
fs.writeFileSync(path.join(work, "bench.json"), JSON.stringify({ rate_limit: { per_minute: 1e9, burst: 1e9 },
                                                                   server: { threads: 256, queue: 1024 } }));
const server = spawn(binary, ["serve", "--port", "0", "--db", path.join(work, "askonce.db"), "--forms", "forms",
                              "--config", path.join(work, "bench.json")],
                     { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
let serverErr = "";
server.stderr.on("data", (d) => { serverErr += d; });
const port = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the server did not start in 30 s:\n" + serverErr)), 30000);
  server.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${serverErr}`)));
  readline.createInterface({ input: server.stdout }).on("line", (line) => {
    try {
      const e = JSON.parse(line);
      if (e.event === "started") { clearTimeout(timer); resolve(Number(e.address.split(":").pop())); }
    } catch { /* not JSON */ }
  });
});
const stop = () => { server.kill("SIGTERM"); fs.rmSync(work, { recursive: true, force: true }); };

// ---- a client that keeps its cookies, as a browser does ------------------------------------------
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
class Citizen {
  constructor() { this.cookies = new Map(); }
  request(method, target, form) {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers = { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ") };
    if (body !== undefined) {
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      headers["Content-Length"] = Buffer.byteLength(body);
      headers.Origin = `http://127.0.0.1:${port}`;
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port, method, path: target, headers, agent }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          for (const c of res.headers["set-cookie"] ?? []) {
            const [pair] = c.split(";");
            const eq = pair.indexOf("=");
            this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          resolve({ status: res.statusCode, location: res.headers.location, body: Buffer.concat(chunks).toString(),
                    ms: Number(process.hrtime.bigint() - started) / 1e6 });
        });
      });
      req.on("error", reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
}

// ---- the answers: the VA's valid application as form fields -------------------------------------
function flatten(value, name, out) {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== "object" || v === null)) for (const v of value) out.push([name, String(v)]);
    else value.forEach((v, i) => flatten(v, `${name}[${i}]`, out));
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) flatten(v, name ? `${name}.${k}` : k, out);
  } else if (typeof value === "boolean") {
    out.push([name, value ? "yes" : "no"]);
  } else if (value !== null) {
    out.push([name, String(value)]);
  }
  return out;
}
const answers = flatten(JSON.parse(fs.readFileSync(path.join(root, "tests/va/submissions/valid-004.json"), "utf8")), "", []);
const csrfOf = (html) => html.match(/name="askonce:csrf" value="([^"]+)"/)?.[1];

/// One citizen through the whole form: each step's page and its Continue, then check your
/// answers. Returns the latencies of every request, or throws when the journey goes wrong.
async function journey(c, latencies, visited = []) {
  let target = `/forms/${formId}/steps/veteran?lang=en`;
  for (let steps = 0; steps < 40; ++steps) {
    const page = await c.request("GET", target);
    latencies.push(page.ms);
    if (page.status === 303) { target = page.location; continue; }
    if (page.status !== 200) throw new Error(`GET ${target}: ${page.status}`);
    if (target.includes("/check")) return;
    visited.push(target);
    const sent = await c.request("POST", target, [...answers, ["askonce:csrf", csrfOf(page.body)]]);
    latencies.push(sent.ms);
    if (sent.status !== 303) throw new Error(`POST ${target}: ${sent.status}\n${sent.body.match(/<li>.*?<\/li>/g)?.slice(0, 5).join("\n")}`);
    target = sent.location;
  }
  throw new Error("the journey did not reach check your answers");
}

/// `count` loops for `seconds`, each calling `step` and counting what it answers.
async function closedLoop(count, step) {
  const until = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(Array.from({ length: count }, async () => {
    while (Date.now() < until) { await step(); ++done; }
  }));
  return done / seconds;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

try {
  console.log(`askonce journey benchmark: ${os.cpus().length} cores, form ${formId}, ${answers.length} answers posted per step,` +
              ` ${seconds} s per figure, ${connections} connections, ${new Date().toISOString()}`);
  // A full draft, whose steps and check page the closed loops read.
  const full = new Citizen();
  const shown = [];
  await journey(full, [], shown);

  const healthz = await closedLoop(connections, () => new Citizen().request("GET", "/healthz"));
  console.log(`1. /healthz ceiling:             ${fmt(healthz)} requests/s`);
  let i = 0;
  const stepRate = await closedLoop(connections, async () => {
    const r = await full.request("GET", shown[i++ % shown.length]);
    if (r.status !== 200) throw new Error(`step page: ${r.status}`);
  });
  console.log(`2. step pages (${shown.length} steps):        ${fmt(stepRate)} pages/s (${fmt(stepRate / healthz * 100)}% of /healthz)`);
  const checkRate = await closedLoop(connections, async () => {
    const r = await full.request("GET", `/forms/${formId}/check?lang=en`);
    if (r.status !== 200) throw new Error(`check answers: ${r.status}`);
  });
  console.log(`3. check-your-answers pages:     ${fmt(checkRate)} pages/s (${fmt(checkRate / healthz * 100)}% of /healthz)`);

  const latencies = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: citizens }, () => journey(new Citizen(), latencies)));
  const elapsed = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(`4. ${citizens} citizens at once through every step to check your answers: ${latencies.length} requests in` +
              ` ${fmt(elapsed)} s (${fmt(latencies.length / elapsed)}/s); latency p50 ${fmt(pct(latencies, 50))} ms,` +
              ` p90 ${fmt(pct(latencies, 90))} ms, p99 ${fmt(pct(latencies, 99))} ms, max ${fmt(latencies.at(-1))} ms`);
} catch (e) {
  console.log("the benchmark failed: " + (e.stack ?? e));
  process.exitCode = 1;
} finally {
  stop();
}
