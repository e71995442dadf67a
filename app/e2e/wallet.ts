// A test wallet for the dApp: registered in the page through the Wallet Standard (as Phantom registers
// itself), holding one account whose transactions are signed in the test process with a kit key pair.
import { getAddressEncoder, getTransactionDecoder, getTransactionEncoder, partiallySignTransaction, type KeyPairSigner } from "@solana/kit";
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
        supportedTransactionVersions: ["legacy", 0],
        signTransaction: async (...inputs: { transaction: Uint8Array }[]) =>
          Promise.all(inputs.map(async ({ transaction }) => ({ signedTransaction: new Uint8Array(await sign([...transaction])) }))),
      },
    },
  };
  const register = (api: { register(wallet: unknown): void }) => api.register(wallet);
  window.addEventListener("wallet-standard:app-ready", (event) => register((event as CustomEvent).detail));
  window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: register }));
}

/** Installs the wallet for `signer` in `page`; call before the page loads the dApp. */
export async function installTestWallet(page: Page, signer: KeyPairSigner): Promise<void> {
  // The page hands over the wire transaction; the test process adds the account's signature, keeping any other.
  await page.exposeFunction("__testWalletSign", async (bytes: number[]) => {
    const transaction = getTransactionDecoder().decode(Uint8Array.from(bytes));
    const signed = await partiallySignTransaction([signer.keyPair], transaction);
    return [...getTransactionEncoder().encode(signed)];
  });
  await page.addInitScript(registerTestWallet, { address: signer.address, publicKey: [...getAddressEncoder().encode(signer.address)] });
}

/** Connects the dApp to the test wallet through the header's wallet menu, as a person would. */
export async function connect(page: Page, signer: KeyPairSigner): Promise<void> {
  await page.getByRole("button", { name: "Connect wallet" }).click();
  await page.getByRole("menuitem", { name: /Test Wallet/ }).click();
  // Once connected, the header shows the address, shortened.
  await page.locator('[data-testid="wallet-address"]', { hasText: signer.address.slice(0, 4) }).waitFor({ timeout: 10_000 });
}
