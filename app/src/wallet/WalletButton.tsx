// The wallet menu in the header: the Wallet Standard wallets that can sign Solana transactions (Phantom, the
// e2e's test wallet...), connecting to the one chosen; once connected, its address and a way to disconnect.
import { useSelectedWalletAccount } from "@solana/react";
import { uiWalletAccountBelongsToUiWallet, useConnect, useDisconnect, type UiWallet, type UiWalletAccount } from "@wallet-standard/react";
import { useState } from "react";
import { shortAddress } from "../lib/format";

export function WalletButton() {
  const [account, select, wallets] = useSelectedWalletAccount();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const wallet = account && wallets.find((w) => uiWalletAccountBelongsToUiWallet(account, w));
  const done = (next: UiWalletAccount | undefined) => {
    select(next);
    setOpen(false);
  };
  return (
    <div className="wallet">
      {account ? (
        <button type="button" name="wallet" data-testid="wallet-address" title={account.address} onClick={() => setOpen(!open)}>
          {wallet && <img src={wallet.icon} alt="" width={16} height={16} />} {shortAddress(account.address)}
        </button>
      ) : (
        <button type="button" name="connect-wallet" onClick={() => setOpen(!open)}>Connect wallet</button>
      )}
      {open && (
        <div className="wallet-menu" role="menu">
          {account && wallet ? (
            <DisconnectItem wallet={wallet} onDone={() => done(undefined)} />
          ) : wallets.length === 0 ? (
            <p className="muted">No wallet found: install one that follows the Wallet Standard, such as Phantom.</p>
          ) : (
            wallets.map((w) => <ConnectItem key={w.name} wallet={w} onConnected={(a) => { setError(null); done(a); }} onError={setError} />)
          )}
          {error && <small className="error" role="alert">{error}</small>}
        </div>
      )}
    </div>
  );
}

function ConnectItem({ wallet, onConnected, onError }: { wallet: UiWallet; onConnected(account: UiWalletAccount): void; onError(message: string): void }) {
  const [connecting, connect] = useConnect(wallet);
  const choose = async () => {
    try {
      const accounts = await connect();
      const first = accounts.find((a) => a.chains.some((c) => c.startsWith("solana:")));
      if (first) onConnected(first);
      else onError(`${wallet.name} shared no Solana account`);
    } catch (e) {
      onError(`${wallet.name} did not connect: ${(e as Error).message}`);
    }
  };
  return (
    <button type="button" role="menuitem" name="choose-wallet" disabled={connecting} onClick={() => void choose()}>
      <img src={wallet.icon} alt="" width={16} height={16} /> {wallet.name}
    </button>
  );
}

function DisconnectItem({ wallet, onDone }: { wallet: UiWallet; onDone(): void }) {
  const [disconnecting, disconnect] = useDisconnect(wallet);
  return (
    <button type="button" role="menuitem" name="disconnect-wallet" disabled={disconnecting}
      onClick={() => void disconnect().catch(() => undefined).finally(onDone)}>
      Disconnect {wallet.name}
    </button>
  );
}
