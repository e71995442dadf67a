import { BN } from "@anchor-lang/core";
import { ASSIGN_BY_CLIENTS, JobStatus, type Job, type Keyed, type Provider } from "@compute-market/client";
import { Keypair, PublicKey } from "@solana/web3.js";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ClientAssign } from "./ClientAssign";

const me = Keypair.generate().publicKey;
const address = Keypair.generate().publicKey;
const client = { assignJob: vi.fn(async () => "assign") };
let providers: Keyed<Provider>[] = [];
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client, me, providers }) }));

const n = (v: number) => new BN(v);
const job = {
  client: me, status: JobStatus.Open, paymentMint: PublicKey.default, targetProvider: PublicKey.default,
  requirements: { cpuCores: 2, ramGb: 4, storageGb: 0, gpus: 0 }, durationSecs: 3_600, maxPricePerHour: n(10_000_000), minReputation: 0,
} as Job;
const provider = (perCore: number, assignment: number): Keyed<Provider> => ({
  address: Keypair.generate().publicKey,
  account: {
    authority: Keypair.generate().publicKey, active: 1, retired: 0, reputation: 5000, assignment,
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

  it("says so when no provider lets clients assign it", () => {
    providers = [provider(1_000, 0)];
    render(<ClientAssign address={address} job={job} transaction={{ run: vi.fn(), fail: vi.fn(), busy: false, tx: { state: "idle" } } as never} />);
    expect(screen.queryByRole("button")).toBeNull();
    expect(screen.getByText(/No provider that lets clients assign it fits this job now/)).toBeTruthy();
  });
});
