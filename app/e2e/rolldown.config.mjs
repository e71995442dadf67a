// The browser test as one CommonJS file for `node --test`: its TypeScript and the client's sources it imports are
// transpiled (types are checked by `npm run build`, whose tsc program includes e2e/); packages stay external and
// load from app/node_modules.
import { defineConfig } from "rolldown";

export default defineConfig({
  input: "e2e/dapp.test.ts",
  platform: "node",
  external: (id) => !id.startsWith(".") && !id.startsWith("/") && !id.startsWith("\0"),
  output: { file: "e2e/dist/dapp.test.js", format: "cjs", sourcemap: true },
});
