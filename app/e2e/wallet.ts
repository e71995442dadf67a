// A test wallet for the dApp: registered in the page through the Wallet Standard (as Phantom registers
// itself), holding one account whose transactions are signed in the test process with a local keypair.
import { Keypair, Transaction } from "@solana/web3.js";
import type { Page } from "playwright-core";

interface Account {
  address: string;
  publicKey: number[];
}

/** Runs in the page before the dApp: announces the wallet to any app that listens, now or later. */
function registerTestWallet(account: Account): void {
  const chains = ["solana:localnet", "solana:devnet", "solana:testnet", "solana:mainnet"];
  const walletAccount = {
    address: account.address,
    publicKey: new Uint8Array(account.publicKey),
    chains,
    features: ["solana:signTransaction"],
  };
  const listeners: ((properties: { accounts: unknown[] }) => void)[] = [];
  let accounts: unknown[] = [];
  const sign = (window as unknown as { __testWalletSign(bytes: number[]): Promise<number[]> }).__testWalletSign;
  const wallet = {
    version: "1.0.0",
    name: "Test Wallet",
    icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiPjxyZWN0IHdpZHRoPSIxIiBoZWlnaHQ9IjEiIGZpbGw9IiM0YTYzZDgiLz48L3N2Zz4=",
    chains,
    get accounts() {
      return accounts;
    },
    features: {
      "standard:connect": {
        version: "1.0.0",
        connect: async () => {
          accounts = [walletAccount];
          listeners.forEach((listener) => listener({ accounts }));
          return { accounts };
        },
      },
      "standard:disconnect": {
        version: "1.0.0",
        disconnect: async () => {
          accounts = [];
          listeners.forEach((listener) => listener({ accounts }));
        },
      },
      "standard:events": {
        version: "1.0.0",
        on: (_event: string, listener: (properties: { accounts: unknown[] }) => void) => {
          listeners.push(listener);
          return () => listeners.splice(listeners.indexOf(listener), 1);
        },
      },
      "solana:signTransaction": {
        version: "1.0.0",
        supportedTransactionVersions: ["legacy"],
        signTransaction: async (...inputs: { transaction: Uint8Array }[]) =>
          Promise.all(inputs.map(async ({ transaction }) => ({ signedTransaction: new Uint8Array(await sign([...transaction])) }))),
      },
    },
  };
  const register = (api: { register(wallet: unknown): void }) => api.register(wallet);
  window.addEventListener("wallet-standard:app-ready", (event) => register((event as CustomEvent).detail));
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: register }));
}

/** Installs the wallet for `keypair` in `page`; call before the page loads the dApp. */
export async function installTestWallet(page: Page, keypair: Keypair): Promise<void> {
  await page.exposeFunction("__testWalletSign", (bytes: number[]) => {
    const tx = Transaction.from(Buffer.from(bytes));
    tx.partialSign(keypair);
    return [...tx.serialize({ requireAllSignatures: false })];
  });
  await page.addInitScript(registerTestWallet, { address: keypair.publicKey.toBase58(), publicKey: [...keypair.publicKey.toBytes()] });
}

/** Connects the dApp to the test wallet through the wallet adapter's own button and modal. */
export async function connect(page: Page, keypair: Keypair): Promise<void> {
  await page.getByRole("button", { name: "Select Wallet" }).click();
  await page.locator(".wallet-adapter-modal-list").getByRole("button", { name: /Test Wallet/ }).click();
  // Once connected, the adapter's button shows the address, shortened.
  await page.locator(".wallet-adapter-button-trigger", { hasText: keypair.publicKey.toBase58().slice(0, 4) }).waitFor({ timeout: 10_000 });
}
