// What the client's test files share: rates and job terms, a client per keypair, balances, and sending with
// another fee payer (for a wallet that holds nothing).
import { createHash } from "node:crypto";
import { BN } from "@anchor-lang/core";
import { Transaction, type Keypair, type PublicKey, type TransactionInstruction } from "@solana/web3.js";
import { MarketClient, MarketError, keypairWallet, translateError, type JobTerms } from "../src";
import type { Node } from "./localnet";

export const rates = (perCore: number, perGbRam = 0, perGpu = 0) => ({
  perCore: new BN(perCore), perGbRam: new BN(perGbRam), perGbStorage: new BN(0), perGpu: new BN(perGpu),
});

export const terms = (cores: number, maxPrice: number | bigint, durationSecs = 3_600): JobTerms => ({
  requirements: { cpuCores: cores, ramGb: 4, storageGb: 0, gpus: 0 },
  durationSecs,
  maxPricePerHour: new BN(maxPrice.toString()),
  specHash: [...createHash("sha256").update("spec").digest()],
  specUri: "data:,spec",
});

export const resultHash = (text = "result") => [...createHash("sha256").update(text).digest()];

export const big = (v: { toString(): string }) => BigInt(v.toString());

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function clientFor(node: Node, keypair: Keypair): MarketClient {
  return new MarketClient(node.connection, keypairWallet(keypair));
}

export async function balance(node: Node, key: PublicKey): Promise<bigint> {
  return BigInt(await node.connection.getBalance(key, "confirmed"));
}

/** Sends `instructions` with `feePayer` paying the fee and `signers` signing as well; program errors by name. */
export async function sendPaidBy(node: Node, feePayer: Keypair, instructions: TransactionInstruction[], signers: Keypair[]): Promise<string> {
  const { blockhash, lastValidBlockHeight } = await node.connection.getLatestBlockhash("confirmed");
  const tx = new Transaction({ feePayer: feePayer.publicKey, blockhash, lastValidBlockHeight }).add(...instructions);
  tx.sign(feePayer, ...signers);
  try {
    const signature = await node.connection.sendRawTransaction(tx.serialize(), { preflightCommitment: "confirmed" });
    const { value } = await node.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, "confirmed");
    if (value.err) throw new Error(`transaction ${signature} failed: ${JSON.stringify(value.err)}`);
    return signature;
  } catch (error) {
    throw translateError(error);
  }
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
