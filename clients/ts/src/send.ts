// Sending instructions: a legacy transaction message (every wallet and the indexer read it) paid by a signer,
// signed by it and by every signer the instructions carry, sent, and confirmed at `confirmed` by polling the
// signature's status (which works too when a wallet sends the transaction itself).
import {
  appendTransactionMessageInstructions, createTransactionMessage, getBase58Decoder, getBase64EncodedWireTransaction,
  getSignatureFromTransaction, getSignersFromTransactionMessage, isTransactionSendingSigner, pipe,
  setTransactionMessageFeePayerSigner, setTransactionMessageLifetimeUsingBlockhash, signAndSendTransactionMessageWithSigners,
  signTransactionMessageWithSigners, type Instruction, type Rpc, type RpcSubscriptions, type Signature,
  type SolanaRpcApiMainnet, type SolanaRpcSubscriptionsApi, type TransactionSigner,
} from "@solana/kit";
import { translateError } from "./errors";

/** The RPC methods the client uses (every cluster's API has them). */
export type MarketRpc = Rpc<SolanaRpcApiMainnet>;
export type MarketRpcSubscriptions = RpcSubscriptions<SolanaRpcSubscriptionsApi>;

/** Where a transaction is on its way: waiting for the wallet's signature, or sent and awaiting confirmation. */
export type SendStage = { stage: "signing" } | { stage: "sent"; signature: string };

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Waits until `signature` is confirmed; a failed transaction throws with its logs, an expired one says so. */
export async function confirmSignature(rpc: MarketRpc, signature: Signature, lastValidBlockHeight: bigint): Promise<void> {
  for (;;) {
    const { value } = await rpc.getSignatureStatuses([signature]).send();
    const status = value[0];
    if (status?.err) {
      const landed = await rpc.getTransaction(signature, { commitment: "confirmed", maxSupportedTransactionVersion: 0, encoding: "json" }).send();
      const logs = landed?.meta?.logMessages ?? [];
      throw Object.assign(new Error(`transaction ${signature} failed: ${JSON.stringify(status.err, (_, v) => (typeof v === "bigint" ? Number(v) : v))}`), { logs: [...logs] });
    }
    if (status?.confirmationStatus === "confirmed" || status?.confirmationStatus === "finalized") return;
    if ((await rpc.getBlockHeight({ commitment: "confirmed" }).send()) > lastValidBlockHeight) {
      throw new Error(`transaction ${signature} expired before it was confirmed`);
    }
    await sleep(250);
  }
}

/**
 * Sends `instructions` paid by `feePayer`, signed by it and by the signers inside the instructions; a sending
 * signer (a wallet that submits itself) sends it, otherwise the RPC does. Resolves with the signature once
 * confirmed; program errors become MarketError.
 */
export async function sendInstructions(
  rpc: MarketRpc, feePayer: TransactionSigner, instructions: readonly Instruction[], onStage?: (stage: SendStage) => void,
): Promise<string> {
  try {
    const { value: blockhash } = await rpc.getLatestBlockhash({ commitment: "confirmed" }).send();
    const message = pipe(
      createTransactionMessage({ version: "legacy" }),
      (m) => setTransactionMessageFeePayerSigner(feePayer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(blockhash, m),
      (m) => appendTransactionMessageInstructions(instructions, m),
    );
    onStage?.({ stage: "signing" });
    let signature: Signature;
    if (getSignersFromTransactionMessage(message).some(isTransactionSendingSigner)) {
      signature = getBase58Decoder().decode(await signAndSendTransactionMessageWithSigners(message)) as Signature;
    } else {
      const signed = await signTransactionMessageWithSigners(message);
      signature = getSignatureFromTransaction(signed);
      await rpc.sendTransaction(getBase64EncodedWireTransaction(signed), { encoding: "base64", preflightCommitment: "confirmed" }).send();
    }
    onStage?.({ stage: "sent", signature });
    await confirmSignature(rpc, signature, blockhash.lastValidBlockHeight);
    return signature;
  } catch (error) {
    throw translateError(error);
  }
}
