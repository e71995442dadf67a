// A transaction's progress as the dApp shows it, and failures in words: the program's error by name, a
// declined signature, or whatever else went wrong.
import { MarketError } from "@compute-market/client";

export type TxState =
  | { state: "idle" }
  | { state: "checking"; label: string }
  | { state: "signing"; label: string }
  | { state: "pending"; label: string; signature: string }
  | { state: "confirmed"; label: string; signature: string }
  | { state: "failed"; label: string; message: string };

export function describeError(error: unknown): string {
  if (error instanceof MarketError) return `${error.errorName}: ${error.errorMessage}`;
  const e = error as { name?: string; message?: string; code?: unknown; error?: { message?: string } };
  const message = e?.message || e?.error?.message || String(error);
  // Wallet Standard wallets reject with their own errors (WalletStandardError...) or EIP-1193's code 4001 (Phantom).
  if (e?.code === 4001) return `the wallet declined to sign (${message})`;
  if (e?.name?.startsWith("Wallet")) {
    return /reject|declin|denied/i.test(message) ? `the wallet declined to sign (${message})` : `wallet: ${message || e.name}`;
  }
  if (/insufficient (funds|lamports)|Attempt to debit an account but found no record of a prior credit/i.test(message)) {
    return `insufficient funds: the wallet cannot pay for this (${message})`;
  }
  return message;
}
