// @compute-market/client: the TypeScript client of compute_market.
export * from "./analytics";
export * from "./api";
export * from "./client";
export * from "./errors";
export * from "./events";
export * from "./filters";
export * from "./idl";
export * from "./pda";
export * from "./services";
export * from "./types";
