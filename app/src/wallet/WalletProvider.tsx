// The connected wallet: any Wallet Standard wallet that signs Solana transactions (Phantom registers itself so),
// chosen with <WalletButton>, remembered in localStorage and reconnected silently on the next visit. Its signer
// (a kit TransactionModifyingSigner from @solana/react) signs for the cluster's chain.
import type { TransactionSigner } from "@solana/kit";
import { SelectedWalletAccountContextProvider, useSelectedWalletAccount, useWalletAccountTransactionSigner } from "@solana/react";
import { getWalletFeature, type UiWalletAccount } from "@wallet-standard/react";
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { signingChain, usableWallet, type SolanaChain } from "./chain";

const STORAGE_KEY = "compute-market.wallet";

/** Where the chosen account is remembered ("wallet name:address", as @solana/react keys it). */
const stateSync = {
  getSelectedWallet: () => localStorage.getItem(STORAGE_KEY),
  storeSelectedWallet: (key: string) => localStorage.setItem(STORAGE_KEY, key),
  deleteSelectedWallet: () => localStorage.removeItem(STORAGE_KEY),
};

const SignerContext = createContext<TransactionSigner | null>(null);

/** The connected account's signer, or null while no wallet is connected. */
export const useWalletSigner = () => useContext(SignerContext);

export function WalletProvider({ chain, children }: { chain: SolanaChain; children: ReactNode }) {
  return (
    <SelectedWalletAccountContextProvider filterWallets={usableWallet} stateSync={stateSync}>
      <SignerProvider chain={chain}>{children}</SignerProvider>
    </SelectedWalletAccountContextProvider>
  );
}

function SignerProvider({ chain, children }: { chain: SolanaChain; children: ReactNode }) {
  const [account] = useSelectedWalletAccount();
  const [signer, setSigner] = useState<TransactionSigner | null>(null);
  const signingFor = account ? signingChain(account, chain) : null;
  // The bridge sits beside the children, so that connecting or switching accounts does not remount the screens.
  const current = account && signer?.address === account.address ? signer : null;
  return (
    <SignerContext.Provider value={current}>
      <AutoConnect />
      {account && signingFor && <SignerBridge key={`${account.address} ${signingFor}`} account={account} chain={signingFor} onSigner={setSigner} />}
      {children}
    </SignerContext.Provider>
  );
}

function SignerBridge({ account, chain, onSigner }: { account: UiWalletAccount; chain: SolanaChain; onSigner(signer: TransactionSigner | null): void }) {
  const signer = useWalletAccountTransactionSigner(account, chain);
  useEffect(() => {
    onSigner(signer);
    return () => onSigner(null);
  }, [signer, onSigner]);
  return null;
}

/**
 * Reconnects the remembered wallet without a prompt (`silent`), once, when it registers: a wallet that does not
 * allow it stays disconnected until chosen again.
 */
function AutoConnect() {
  const [account, , wallets] = useSelectedWalletAccount();
  const tried = useRef(new Set<string>());
  useEffect(() => {
    const saved = stateSync.getSelectedWallet();
    if (account || !saved) return;
    const name = saved.slice(0, saved.lastIndexOf(":"));
    const wallet = wallets.find((w) => w.name === name && w.accounts.length === 0);
    if (!wallet || tried.current.has(wallet.name)) return;
    tried.current.add(wallet.name);
    try {
      const feature = getWalletFeature(wallet, "standard:connect") as { connect(input?: { silent?: boolean }): Promise<unknown> };
      void feature.connect({ silent: true }).catch(() => undefined);
    } catch {
      // A wallet without standard:connect cannot be reconnected.
    }
  }, [account, wallets]);
  return null;
}
