#!/usr/bin/env node
// The built dApp's JavaScript, chunk by chunk: raw and gzip bytes (gzip level 9, as a server would send it),
// and the total. Exits 1 when the gzip total is over the budget (BUNDLE_BUDGET_GZIP bytes, 250 kB by default).
// Usage: node app/scripts/bundle-size.mjs [dist directory, app/dist by default]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = resolve(process.argv[2] ?? fileURLToPath(new URL("../dist", import.meta.url)));
const budget = Number(process.env.BUNDLE_BUDGET_GZIP ?? 250_000);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.m?js$/.test(name)) yield path;
  }
}

let chunks;
try {
  chunks = [...files(dist)].map((path) => {
    const bytes = readFileSync(path);
    return { name: relative(dist, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
} catch (error) {
  console.error(`bundle-size: cannot read ${dist} (${error.message}); build the dApp first (make app)`);
  process.exit(2);
}
if (chunks.length === 0) {
  console.error(`bundle-size: no JavaScript in ${dist}; build the dApp first (make app)`);
  process.exit(2);
}
chunks.sort((a, b) => b.gzip - a.gzip);
const kb = (n) => `${(n / 1000).toFixed(1)} kB`.padStart(10);
const width = Math.max(...chunks.map((c) => c.name.length), 5);
console.log(`${"chunk".padEnd(width)} ${"raw".padStart(10)} ${"gzip".padStart(10)}`);
for (const c of chunks) console.log(`${c.name.padEnd(width)} ${kb(c.raw)} ${kb(c.gzip)}`);
const total = chunks.reduce((t, c) => ({ raw: t.raw + c.raw, gzip: t.gzip + c.gzip }), { raw: 0, gzip: 0 });
console.log(`${"total".padEnd(width)} ${kb(total.raw)} ${kb(total.gzip)}  (${total.raw} B raw, ${total.gzip} B gzip; budget ${budget} B gzip)`);
if (total.gzip > budget) {
  console.error(`bundle-size: ${total.gzip} B gzip is over the budget of ${budget} B`);
  process.exit(1);
}
