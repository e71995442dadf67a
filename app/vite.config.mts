/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

// The wallet adapter's stylesheet imports a web font from Google; the dApp uses the system's fonts and
// asks nothing of third parties.
const noRemoteFonts: Plugin = {
  name: "no-remote-fonts",
  enforce: "pre",
  transform(code, id) {
    if (id.includes("wallet-adapter-react-ui") && id.endsWith(".css")) return code.replace(/@import url\([^)]*\);?/g, "");
  },
};

// The TypeScript client is compiled from its sources (clients/ts/src) into the bundle; its dependencies
// resolve from this package so there is one copy of web3.js and Anchor.
export default defineConfig({
  base: "./",
  plugins: [noRemoteFonts, react()],
  resolve: {
    alias: { "@compute-market/client": fileURLToPath(new URL("../clients/ts/src/index.ts", import.meta.url)) },
    dedupe: ["@solana/web3.js", "@anchor-lang/core", "buffer", "react", "react-dom"],
  },
  build: { chunkSizeWarningLimit: 4096 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/polyfills.ts"],
  },
});
