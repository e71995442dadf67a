// What the client's test files share: rates and job terms, a client per keypair, balances, and sending with
// another fee payer (for a wallet that holds nothing).
import { createHash } from "node:crypto";
import type { Address, Instruction, KeyPairSigner, Signature } from "@solana/kit";
import { MarketClient, MarketError, sendInstructions, type JobTerms } from "../src";
import type { Node } from "./localnet";

export const rates = (perCore: number | bigint, perGbRam: number | bigint = 0, perGpu: number | bigint = 0) => ({
  perCore: BigInt(perCore), perGbRam: BigInt(perGbRam), perGbStorage: 0n, perGpu: BigInt(perGpu),
});

export const terms = (cores: number, maxPrice: number | bigint, durationSecs = 3_600): JobTerms => ({
  requirements: { cpuCores: cores, ramGb: 4, storageGb: 0, gpus: 0 },
  durationSecs,
  maxPricePerHour: BigInt(maxPrice),
  specHash: [...createHash("sha256").update("spec").digest()],
  specUri: "data:,spec",
});

export const resultHash = (text = "result") => [...createHash("sha256").update(text).digest()];

export const big = (v: bigint | number) => BigInt(v);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function clientFor(node: Node, signer: KeyPairSigner): MarketClient {
  return new MarketClient(node.rpc, signer, node.rpcSubscriptions);
}

export async function balance(node: Node, key: Address): Promise<bigint> {
  return (await node.rpc.getBalance(key, { commitment: "confirmed" }).send()).value;
}

/** Sends `instructions` with `feePayer` paying the fee; the signers inside the instructions sign as well. Program errors by name. */
export function sendPaidBy(node: Node, feePayer: KeyPairSigner, instructions: Instruction[]): Promise<string> {
  return sendInstructions(node.rpc, feePayer, instructions);
}

/** A confirmed transaction's logs. */
export async function logsOf(node: Node, signature: string): Promise<string[]> {
  const tx = await node.rpc.getTransaction(signature as Signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
  return [...(tx?.meta?.logMessages ?? [])];
}

/** Asserts that `promise` fails with the program error `name`. */
export async function refusedAs(promise: Promise<unknown>, name: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MarketError && error.errorName === name) return;
    throw new Error(`expected ${name}, got ${String(error)}`);
  }
  throw new Error(`expected ${name}, but it succeeded`);
}
