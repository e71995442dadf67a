// The browser test as one CommonJS file for `node --test`: its TypeScript and the client's sources it imports are
// transpiled (types are checked by `npm run build`, whose tsc program includes e2e/); packages stay external and
// load from app/node_modules.
import { fileURLToPath } from "node:url";
import { defineConfig } from "rolldown";

// The same alias as vite.config.mts: the client is its TypeScript sources, not an installed package.
const CLIENT = "@compute-market/client";

export default defineConfig({
  input: "e2e/dapp.test.ts",
  platform: "node",
  resolve: { alias: { [CLIENT]: fileURLToPath(new URL("../../clients/ts/src/index.ts", import.meta.url)) } },
  external: (id) => id !== CLIENT && !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0"),
  output: { file: "e2e/dist/dapp.test.js", format: "cjs", sourcemap: true },
});
