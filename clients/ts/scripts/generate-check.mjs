// Fails if src/generated/ is not what `npm run generate` writes from the committed IDL (`npm run generate:check`).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const committed = join(pkg, "src/generated");
const fresh = mkdtempSync(join(tmpdir(), "cm-generated-"));

const files = (dir) => (existsSync(dir) ? readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
}) : []);

try {
  execFileSync(process.execPath, [join(pkg, "scripts/generate.mjs"), fresh], { stdio: ["ignore", "ignore", "inherit"] });
  const names = new Set([...files(committed).map((f) => relative(committed, f)), ...files(fresh).map((f) => relative(fresh, f))]);
  const stale = [...names].sort().filter((name) => {
    const [a, b] = [join(committed, name), join(fresh, name)];
    return !existsSync(a) || !existsSync(b) || !readFileSync(a).equals(readFileSync(b));
  });
  if (stale.length > 0) {
    console.error(`src/generated is stale (run \`npm run generate\` in clients/ts): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(`src/generated is up to date (${names.size} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
