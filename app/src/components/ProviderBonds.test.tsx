// A provider's bonds: held, locked, pending and when withdrawable, in each currency's decimals; deposits and
// withdrawal requests checked as the program checks them before anything is signed; withdrawals offered once
// cooled down, and a pending request cancelled with a zero request.
import type { Bond, Keyed, Provider } from "@compute-market/client";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { randomAddress } from "../market/fixtures";
import { ProviderBonds, withdrawable } from "./ProviderBonds";

const me = randomAddress();
const usdc = randomAddress();
const currencies = [SOL, { mint: usdc, symbol: "USDC", decimals: 6, enabled: true }];
const now = Math.floor(Date.now() / 1000);
let bonds: Keyed<Bond>[] = [];
const client = {
  rpc: { getBalance: () => ({ send: async () => ({ value: 5_000_000_000n }) }) },
  tokenBalance: vi.fn(async () => 3_000_000n),
  depositBond: vi.fn(async () => "deposit"),
  requestBondWithdrawal: vi.fn(async () => "request"),
  withdrawBond: vi.fn(async () => "withdraw"),
};
vi.mock("../market/MarketContext", () => ({
  useMarket: () => ({ client, me, bonds, currencies, currency: (m: string) => currencyOf(currencies, m), market: { bondCooldownSecs: 86_400 }, version: 0 }),
}));

const provider = { authority: me } as Provider;
const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature"));
const transaction = { run, fail: vi.fn(), busy: false, tx: { state: "idle" } } as never;
const fill = (value: string) => fireEvent.change(document.querySelector('input[name="bondAmount"]')!, { target: { value } });
const click = (name: string) => act(async () => void fireEvent.click(document.querySelector(`button[name="${name}"]`)!));
const cells = (mint: string) => Object.fromEntries([...document.querySelectorAll(`tr[data-bond="${mint}"] td[data-cell]`)].map((td) => [td.getAttribute("data-cell"), td.textContent]));
const bond = (mint: string, held: bigint, locked: bigint, pending: bigint, withdrawAt: number, extra: Partial<Bond> = {}): Keyed<Bond> => ({
  address: randomAddress(),
  account: { provider: me, mint, held, locked, pending, withdrawAt: BigInt(withdrawAt), slashed: 0n, jobsLocked: locked > 0n ? 1 : 0, ...extra } as Bond,
});

beforeEach(() => vi.clearAllMocks());
afterEach(cleanup);

describe("<ProviderBonds>", () => {
  it("deposits lamports after refusing a zero, a malformed amount and more than the wallet holds, by name", async () => {
    bonds = [];
    render(<ProviderBonds provider={provider} transaction={transaction} />);
    expect(screen.getByText("No bond yet: you can take only jobs that ask for none.")).toBeTruthy();
    await screen.findByText("you hold 5 SOL");
    expect((document.querySelector('button[name="request-bond-withdrawal"]') as HTMLButtonElement).disabled).toBe(true);
    for (const [text, why] of [
      ["0", "deposit: above zero"],
      ["1e9", 'deposit: "1e9" is not an amount of SOL'],
      ["-2", 'deposit: "-2" is not an amount of SOL'],
      ["5.000000001", "deposit: you hold 5 SOL"],
    ]) {
      fill(text);
      await click("deposit-bond");
      expect(screen.getByRole("alert").textContent).toBe(why);
    }
    expect(run).not.toHaveBeenCalled();
    fill("2.000000001");
    await click("deposit-bond");
    expect(client.depositBond).toHaveBeenCalledWith(2_000_000_001n, SOL.mint);
  });

  it("shows each bond in its currency, and asks to withdraw at most what jobs in flight leave unlocked", async () => {
    bonds = [bond(SOL.mint, 3_000_000_000n, 1_000_000_000n, 500_000_000n, now + 7_230), bond(usdc, 2_500_000n, 0n, 0n, 0, { slashed: 250_000n })];
    render(<ProviderBonds provider={provider} transaction={transaction} />);
    expect(cells(SOL.mint)).toMatchObject({ held: "3 SOL", locked: "1 SOL (1 job)", free: "1.5 SOL", pending: "0.5 SOL", slashed: "0 SOL" });
    expect(cells(SOL.mint).withdrawable).toMatch(/^from .* \(in 2 h\)$/);
    expect(cells(usdc)).toMatchObject({ held: "2.5 USDC", free: "2.5 USDC", pending: "0 USDC", withdrawable: "nothing requested", slashed: "0.25 USDC" });
    expect(document.querySelector('button[name="withdraw-bond"]')).toBeNull(); // still cooling down

    fill("2.000000001");
    await click("request-bond-withdrawal");
    expect(screen.getByRole("alert").textContent).toBe("withdrawal: at most 2 SOL (jobs in flight lock the rest)");
    fill("2");
    await click("request-bond-withdrawal");
    expect(client.requestBondWithdrawal).toHaveBeenCalledWith(2_000_000_000n, SOL.mint);

    fireEvent.change(document.querySelector('select[name="bond-currency"]')!, { target: { value: usdc } });
    fill("0.0000001");
    await click("deposit-bond");
    expect(screen.getByRole("alert").textContent).toBe("deposit: at most 6 decimals (1 base unit is 0.000001 USDC)");
    fill("1.5");
    await click("deposit-bond");
    expect(client.depositBond).toHaveBeenCalledWith(1_500_000n, usdc);
  });

  it("offers the withdrawal once cooled down, and cancels a request with a zero one", async () => {
    bonds = [bond(SOL.mint, 3_000_000_000n, 0n, 1_000_000_007n, now - 1)];
    render(<ProviderBonds provider={provider} transaction={transaction} />);
    expect(cells(SOL.mint).withdrawable).toBe("now");
    await click("withdraw-bond");
    expect(client.withdrawBond).toHaveBeenCalledWith(SOL.mint);
    expect(run.mock.calls[0][0]).toBe("Withdraw 1.000000007 SOL from your bond");
    await click("cancel-bond-withdrawal");
    expect(client.requestBondWithdrawal).toHaveBeenCalledWith(0n, SOL.mint);
  });

  it("words when a withdrawal may be taken", () => {
    expect(withdrawable({ pending: 0n, withdrawAt: 0n }, 100)).toBe("nothing requested");
    expect(withdrawable({ pending: 1n, withdrawAt: 100n }, 100)).toBe("now");
    expect(withdrawable({ pending: 1n, withdrawAt: 190n }, 100)).toMatch(/^from .* \(in 1 min\)$/);
  });
});
