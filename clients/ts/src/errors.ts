// Program errors by name: from the transaction's logs when the program wrote them (the sBPF build), otherwise
// by code from the generated error table (a natively loaded program writes no logs).
import { SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM, isSolanaError } from "@solana/kit";
import * as generated from "./generated/errors";
import idlJson from "../idl/compute_market.json";

export class MarketError extends Error {
  constructor(
    readonly code: number,
    readonly errorName: string,
    readonly errorMessage: string,
    readonly logs: string[] = [],
  ) {
    super(`${errorName} (${code}): ${errorMessage}`);
    this.name = "MarketError";
  }
}

const PREFIX = "COMPUTE_MARKET_ERROR__";
/** `COMPUTE_MARKET_ERROR__NOT_ADMIN` → `NotAdmin`: the program's own names (test/offline.test.ts checks every one round-trips). */
const pascal = (constant: string) => constant.slice(PREFIX.length).toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** The program's errors by code: names from the generated table, messages from the IDL (the generated messages exist only outside production builds). */
export const PROGRAM_ERRORS: ReadonlyMap<number, { name: string; message: string }> = new Map(
  Object.entries(generated)
    .filter(([key, value]) => key.startsWith(PREFIX) && typeof value === "number")
    .map(([key, code]) => [code as number, { name: pascal(key), message: idlJson.errors.find((e) => e.code === code)?.msg ?? "" }]),
);

/** The causes of an error, itself first (kit nests the transaction's error as the RPC error's cause). */
function chain(error: unknown): unknown[] {
  const seen: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && !seen.includes(e) && seen.length < 10; e = (e as { cause?: unknown }).cause) seen.push(e);
  return seen;
}

/** The custom error code of a kit error (SolanaError with an InstructionError::Custom), or in an error's text. */
function customCode(error: unknown): number | undefined {
  for (const e of chain(error)) {
    if (isSolanaError(e, SOLANA_ERROR__INSTRUCTION_ERROR__CUSTOM)) return e.context.code;
  }
  const text = chain(error).map((e) => String((e as { message?: string })?.message ?? e)).join("\n");
  const hex = /custom program error: 0x([0-9a-f]+)/i.exec(text);
  if (hex) return parseInt(hex[1], 16);
  const json = /"Custom":\s*(\d+)/.exec(text);
  return json ? Number(json[1]) : undefined;
}

/** Logs carried by the error: a kit preflight failure's `context.logs`, or `logs` we attached. */
function logsOf(error: unknown): string[] {
  for (const e of chain(error)) {
    const x = e as { logs?: unknown; context?: { logs?: unknown } };
    const logs = x?.logs ?? x?.context?.logs;
    if (Array.isArray(logs)) return logs as string[];
  }
  return [];
}

/** A MarketError for a failed transaction, or the error unchanged when it is not a program error. */
export function translateError(error: unknown): unknown {
  if (error instanceof MarketError) return error;
  const code = customCode(error);
  if (code === undefined) return error;
  const logs = logsOf(error);
  const line = logs.find((l) => l.includes(`Error Number: ${code}.`));
  if (line) {
    const name = /Error Code: (\w+)\./.exec(line)?.[1];
    const message = /Error Message: (.*)\.$/.exec(line)?.[1];
    if (name) return new MarketError(code, name, message ?? "", logs);
  }
  const known = PROGRAM_ERRORS.get(code);
  return known ? new MarketError(code, known.name, known.message, logs) : new MarketError(code, `Error${code}`, "not a compute_market error", logs);
}
