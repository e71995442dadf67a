// Program errors by name: from the transaction's logs when the program wrote them (the sBPF build),
// otherwise from the IDL's error table by code (a natively loaded program writes no logs).
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

const IDL_ERRORS = new Map(idlJson.errors.map((e) => [e.code, e]));

/** The custom error code in a web3.js or RPC error, if any. */
function customCode(error: unknown): number | undefined {
  const text = String((error as { message?: string })?.message ?? error);
  const hex = /custom program error: 0x([0-9a-f]+)/i.exec(text);
  if (hex) return parseInt(hex[1], 16);
  const json = /"Custom":\s*(\d+)/.exec(text);
  return json ? Number(json[1]) : undefined;
}

function logsOf(error: unknown): string[] {
  const e = error as { logs?: string[]; transactionLogs?: string[] };
  return e?.logs ?? e?.transactionLogs ?? [];
}

/** A MarketError for a failed transaction, or the error unchanged when it is not a program error. */
export function translateError(error: unknown): unknown {
  const code = customCode(error);
  if (code === undefined) return error;
  const logs = logsOf(error);
  const line = logs.find((l) => l.includes(`Error Number: ${code}.`));
  if (line) {
    const name = /Error Code: (\w+)\./.exec(line)?.[1];
    const message = /Error Message: (.*)\.$/.exec(line)?.[1];
    if (name) return new MarketError(code, name, message ?? "", logs);
  }
  const known = IDL_ERRORS.get(code);
  return known ? new MarketError(code, known.name, known.msg, logs) : new MarketError(code, `Error${code}`, "not a compute_market error", logs);
}
