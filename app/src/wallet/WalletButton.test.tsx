// The header's wallet menu over Wallet Standard wallets (the hooks of @solana/react and @wallet-standard/react mocked).
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const ADDRESS = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";
const account = { address: ADDRESS, chains: ["solana:devnet"], features: ["solana:signTransaction"], publicKey: new Uint8Array(32) };
const phantom = { name: "Phantom", icon: "data:image/svg+xml;base64,AA==", chains: ["solana:devnet"], features: ["solana:signTransaction"], accounts: [] as unknown[], version: "1.0.0" };
let selected: typeof account | undefined;
const select = vi.fn((next: typeof account | undefined) => void (selected = next));
let connect = vi.fn(async () => [account]);
const disconnect = vi.fn(async () => undefined);

vi.mock("@solana/react", () => ({ useSelectedWalletAccount: () => [selected, select, [phantom]] }));
vi.mock("@wallet-standard/react", () => ({
  useConnect: () => [false, connect],
  useDisconnect: () => [false, disconnect],
  uiWalletAccountBelongsToUiWallet: () => true,
}));
const { WalletButton } = await import("./WalletButton");

beforeEach(() => {
  selected = undefined;
  vi.clearAllMocks();
});
afterEach(cleanup);

describe("<WalletButton>", () => {
  it("lists the wallets and selects the account the chosen one shares", async () => {
    render(<WalletButton />);
    fireEvent.click(screen.getByRole("button", { name: "Connect wallet" }));
    await act(async () => void fireEvent.click(screen.getByRole("menuitem", { name: /Phantom/ })));
    expect(connect).toHaveBeenCalledOnce();
    expect(select).toHaveBeenCalledWith(account);
  });

  it("says why when the wallet does not connect, selecting nothing", async () => {
    connect = vi.fn(async () => Promise.reject(new Error("User rejected the request.")));
    render(<WalletButton />);
    fireEvent.click(screen.getByRole("button", { name: "Connect wallet" }));
    await act(async () => void fireEvent.click(screen.getByRole("menuitem", { name: /Phantom/ })));
    expect(screen.getByRole("alert").textContent).toBe("Phantom did not connect: User rejected the request.");
    expect(select).not.toHaveBeenCalled();
  });

  it("shows the connected address, shortened, and disconnects", async () => {
    selected = account;
    render(<WalletButton />);
    const button = screen.getByTestId("wallet-address");
    expect(button.textContent?.trim()).toBe("7xKX…gAsU");
    fireEvent.click(button);
    await act(async () => void fireEvent.click(screen.getByRole("menuitem", { name: "Disconnect Phantom" })));
    expect(disconnect).toHaveBeenCalledOnce();
    expect(select).toHaveBeenCalledWith(undefined);
  });
});
