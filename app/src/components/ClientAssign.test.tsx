import { ASSIGN_BY_CLIENTS, JobStatus, LAMPORT_MINT, type Job, type Keyed, type MintQuote, type Provider } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { randomAddress } from "../market/fixtures";
import { ClientAssign } from "./ClientAssign";

const me = randomAddress();
const address = randomAddress();
const mint = randomAddress();
const client = { assignJob: vi.fn(async () => "assign") };
let providers: Keyed<Provider>[] = [];
let quotes: Keyed<MintQuote>[] = [];
const currencies = [SOL, { mint, symbol: "USDC", decimals: 6, enabled: true }];
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client, me, providers, quotes, currency: (m: string) => currencyOf(currencies, m) }) }));

const n = (v: number) => BigInt(v);
const job = {
  client: me, status: JobStatus.Open, paymentMint: LAMPORT_MINT as Address, targetProvider: LAMPORT_MINT as Address,
  requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 3_600, maxPricePerHour: n(10_000_000), minReputation: 0,
} as Job;
const provider = (perCore: number, assignment: number): Keyed<Provider> => ({
  address: randomAddress(),
  account: {
    authority: randomAddress(), active: 1, retired: 0, reputation: 5000, assignment,
    rates: { perCore: n(perCore), perGbRam: n(250), perGbStorage: n(0), perGpu: n(0) }, free: { cpuCores: 8, ramGb: 16, storageGb: 0, gpus: 0 },
  } as Provider,
});

afterEach(cleanup);

describe("<ClientAssign>", () => {
  it("assigns at the price it shows, to providers that let clients assign them", () => {
    const open = provider(1_234_567, ASSIGN_BY_CLIENTS);
    providers = [open, provider(1_000, 0)];
    const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature"));
    render(<ClientAssign address={address} job={job} transaction={{ run, fail: vi.fn(), busy: false, tx: { state: "idle" } } as never} />);
    const buttons = screen.getAllByRole("button", { name: /^Assign at/ });
    expect(buttons.map((b) => b.textContent)).toEqual(["Assign at 0.002470134 SOL/h"]);
    act(() => void fireEvent.click(buttons[0]));
    expect(client.assignJob).toHaveBeenCalledWith(address, me, open.account.authority, 2_470_134n);
  });

  it("prices a token job by each provider's quote in its mint, in the token's decimals", () => {
    const quoting = provider(1_000, ASSIGN_BY_CLIENTS);
    providers = [quoting, provider(1_000, ASSIGN_BY_CLIENTS)];
    quotes = [{ address: randomAddress(), account: { provider: quoting.account.authority, mint, rates: { perCore: 1_500_000n, perGbRam: 125_000n, perGbStorage: 0n, perGpu: 0n } } as MintQuote }];
    const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature"));
    render(<ClientAssign address={address} job={{ ...job, paymentMint: mint, maxPricePerHour: 4_000_000n }} transaction={{ run, fail: vi.fn(), busy: false, tx: { state: "idle" } } as never} />);
    const buttons = screen.getAllByRole("button", { name: /^Assign at/ });
    expect(buttons.map((b) => b.textContent)).toEqual(["Assign at 3.5 USDC/h"]);
    expect(screen.getAllByText("3.5 USDC", { selector: "td" })).toHaveLength(2); // per hour, and for the whole hour
    act(() => void fireEvent.click(buttons[0]));
    expect(client.assignJob).toHaveBeenLastCalledWith(address, me, quoting.account.authority, 3_500_000n);
    quotes = [];
  });

  it("says so when no provider lets clients assign it", () => {
    providers = [provider(1_000, 0)];
    render(<ClientAssign address={address} job={job} transaction={{ run: vi.fn(), fail: vi.fn(), busy: false, tx: { state: "idle" } } as never} />);
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.getByText(/No provider that lets clients assign it fits this job now/)).toBeTruthy();
  });
});
