/// <reference types="vitest/config" />
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The TypeScript client is compiled from its sources (clients/ts/src) into the bundle; its dependencies
// resolve from this package so there is one copy of kit and of the program clients.
export default defineConfig({
  base: "./",
  plugins: [react()],
  resolve: {
    alias: { "@compute-market/client": fileURLToPath(new URL("../clients/ts/src/index.ts", import.meta.url)) },
    dedupe: ["@solana/kit", "@solana-program/system", "@solana-program/token", "react", "react-dom"],
  },
  build: { chunkSizeWarningLimit: 4096 },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
