// Which wallets the dApp offers and which chain it asks them to sign for. A Wallet Standard wallet (Phantom,
// the e2e's test wallet) is offered when it can sign Solana transactions; the chain follows the cluster.
import type { UiWallet } from "@wallet-standard/react";
import type { ClusterName } from "../lib/cluster";

export const SIGN_TRANSACTION = "solana:signTransaction";
export type SolanaChain = `solana:${string}`;

/** Whether the dApp can use `wallet`: it signs Solana transactions. */
export const usableWallet = (wallet: Pick<UiWallet, "features" | "chains">) =>
  wallet.features.includes(SIGN_TRANSACTION) && wallet.chains.some((chain) => chain.startsWith("solana:"));

/** The chain a cluster is: devnet's, else the one a custom URL names, else a local node's. */
export function clusterChain(name: ClusterName, rpcUrl: string): SolanaChain {
  if (name === "devnet") return "solana:devnet";
  if (name === "custom") {
    const host = (() => {
      try {
        return new URL(rpcUrl).hostname;
      } catch {
        return "";
      }
    })();
    if (/devnet/.test(host)) return "solana:devnet";
    if (/testnet/.test(host)) return "solana:testnet";
    if (/mainnet/.test(host)) return "solana:mainnet";
  }
  return "solana:localnet";
}

/**
 * The chain to name when `account` signs for `preferred`: that chain when the account lists it; otherwise the
 * account's first Solana chain (a wallet that does not list localnet still signs, as the wallet adapter had it).
 * Null when the account has no Solana chain at all.
 */
export function signingChain(account: { chains: readonly string[] }, preferred: SolanaChain): SolanaChain | null {
  if (account.chains.includes(preferred)) return preferred;
  return (account.chains.find((chain) => chain.startsWith("solana:")) as SolanaChain | undefined) ?? null;
}
