// tests/browser/run.mjs: every browser suite in one node process, run by CTest (browser_tests
// on SQLite, browser_tests_postgres on PostgreSQL): one headless Chromium for the whole run
// (each case in a fresh context), one `askonce serve` shared by the suites that need no config
// of their own (web, journeys, amend, staff), a server of its own started once for a suite that
// does (alternatives: a form of its own; mail: an SMTP relay), and the Nu HTML Checker once at
// the end on every page kept (harness.mjs). Each suite is a module exporting `run(t)`; it prints
// its name and each case's, and a failure names its suite and case.
//
// Usage: node tests/browser/run.mjs [--postgres DIR] [--only SUITE,...] [--screenshot FILE] [PATH TO askonce]
//   --postgres DIR  the servers on the PostgreSQL cluster scripts/test-postgres.sh started in DIR,
//                   each in a database of its own; only the suites that do something different on
//                   PostgreSQL (what the store does: web, journeys)
//   --only          these suites alone (a developer's rerun)
//   --screenshot    check.mjs also saves a screenshot of the change-of-address page with errors
// The askonce binary defaults to build/server/askonce. Missing tools are a failure, not a skip:
// scripts/deps.sh installs them.
import path from "node:path";
import { root, missingTools, launchBrowser, startServer, inSuite, nuVerdicts, ok, report } from "./harness.mjs";

const started = Date.now();
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? null : args.splice(i, 2)[1];
};
const postgres = option("--postgres");
const only = option("--only")?.split(",") ?? null;
const screenshot = option("--screenshot");
const binary = path.resolve(args[0] ?? path.join(root, "build/server/askonce"));

// In this order: the golden pages first (no server), then the suites on the shared server,
// then those with a server of their own.
const all = postgres ? ["web", "journeys"] : ["check", "web", "journeys", "amend", "staff", "alternatives", "mail"];
const suites = all.filter((s) => !only || only.includes(s));
if (only && only.some((s) => !all.includes(s))) {
  console.log(`no such suite${postgres ? " on PostgreSQL" : ""}: ${only.filter((s) => !all.includes(s)).join(", ")} (${all.join(", ")})`);
  process.exit(2);
}

const missing = missingTools({ binary: suites.some((s) => s !== "check") ? binary : null, smtp: suites.includes("mail"), pdftotext: suites.includes("staff"), psql: !!postgres });
if (missing.length) {
  ok(false, "missing: " + missing.join(", ") + "; run scripts/deps.sh");
  process.exit(report(started));
}

const browser = await launchBrowser();
let closing = false;
browser.on("disconnected", () => closing || ok(false, "Chromium stays up for the whole run (it went away)"));
let shared = null;
/// What a suite's run(t) is given.
const t = {
  browser, binary, postgres, screenshot,
  /// The server the suites share, started by the first that asks.
  server: () => (shared ??= startServer({ binary, name: "browser", postgres })),
};
try {
  for (const name of suites) {
    const module = await import(`./${name === "check" ? "check" : name + "_e2e"}.mjs`);
    await inSuite(name, () => module.run(t));
  }
} finally {
  if (shared) await (await shared.catch(() => null))?.stop();
  closing = true;
  await browser.close();
}
await nuVerdicts();
process.exit(report(started));
