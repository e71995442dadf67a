// @compute-market/client: the TypeScript client of compute_market, on @solana/kit.
export * from "./accounts";
export * from "./analytics";
export * from "./api";
export * from "./bonds";
export * from "./client";
export * from "./errors";
export * from "./events";
export * from "./filters";
export * from "./gpus";
export * from "./hardware";
export * from "./idl";
export * from "./pda";
export * from "./send";
export * from "./services";
export * from "./tokens";
export * from "./types";
/** Everything Codama generated from the IDL: codecs, decoders and fetchers per account, instruction builders, error codes. */
export * as generated from "./generated";
