// A provider's quotes in tokens: shown in each token's decimals, added or updated with rates checked first.
import type { Keyed, MintQuote, Provider } from "@compute-market/client";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { randomAddress } from "../market/fixtures";
import { ProviderQuotes } from "./ProviderQuotes";

const me = randomAddress();
const usdc = randomAddress();
const bonk = randomAddress();
const currencies = [SOL, { mint: bonk, symbol: "BONK", decimals: 5, enabled: true }, { mint: usdc, symbol: "USDC", decimals: 6, enabled: true }];
let quotes: Keyed<MintQuote>[] = [];
const client = { addMintQuote: vi.fn(async () => "add"), updateMintQuote: vi.fn(async () => "update"), removeMintQuote: vi.fn(async () => "remove") };
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client, me, quotes, currencies, currency: (m: string) => currencyOf(currencies, m) }) }));

const provider = { authority: me, capacity: { cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 } } as Provider;
const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature"));
const transaction = { run, fail: vi.fn(), busy: false, tx: { state: "idle" } } as never;
const fill = (name: string, value: string) => fireEvent.change(document.querySelector(`input[name="${name}"]`)!, { target: { value } });

beforeEach(() => vi.clearAllMocks());
afterEach(cleanup);

describe("<ProviderQuotes>", () => {
  it("adds a quote in the chosen token, in its base units, after refusing rates by name", async () => {
    quotes = [];
    render(<ProviderQuotes provider={provider} transaction={transaction} />);
    expect(screen.getByText("No quotes: you take jobs paid in SOL only.")).toBeTruthy();
    fireEvent.change(document.querySelector('select[name="quote-currency"]')!, { target: { value: usdc } });
    fill("quote-perCore", "0.25");
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Quote in USDC" })));
    expect(screen.getByRole("alert").textContent).toBe("rate per GB of RAM: above zero for a resource you offer");
    expect(run).not.toHaveBeenCalled();
    fill("quote-perGbRam", "0.000001");
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Quote in USDC" })));
    expect(client.addMintQuote).toHaveBeenCalledWith(usdc, { perCore: 250_000n, perGbRam: 1n, perGbStorage: 0n, perGpu: 0n });
  });

  it("shows its quotes in each token's decimals, and updates or removes them", async () => {
    const quote = { address: randomAddress(), account: { provider: me, mint: bonk, rates: { perCore: 150_000n, perGbRam: 5n, perGbStorage: 0n, perGpu: 0n } } as MintQuote };
    quotes = [quote, { address: randomAddress(), account: { provider: randomAddress(), mint: usdc, rates: quote.account.rates } as MintQuote }];
    render(<ProviderQuotes provider={provider} transaction={transaction} />);
    expect(document.querySelectorAll("tr[data-quote]")).toHaveLength(1);
    expect(document.querySelector(`tr[data-quote="${bonk}"] [data-cell="rates"]`)?.textContent).toBe("1.5 · 0.00005 · 0 · 0 BONK");
    expect(screen.getByText("6.0004 BONK/h")).toBeTruthy(); // 4 cores at 1.5 and 8 GB at 0.00005
    fill("quote-perCore", "2");
    fill("quote-perGbRam", "0.0001");
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Update BONK rates" })));
    expect(client.updateMintQuote).toHaveBeenCalledWith(quote.address, { perCore: 200_000n, perGbRam: 10n, perGbStorage: 0n, perGpu: 0n });
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Remove" })));
    expect(client.removeMintQuote).toHaveBeenCalledWith(quote.address);
  });
});
