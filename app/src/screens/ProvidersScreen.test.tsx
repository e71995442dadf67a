// The providers list names each provider's GPUs, and narrows by GPU memory and family; it shows each one's bond in SOL.
import { LAMPORT_MINT, type Bond, type IndexProvider, type Keyed } from "@compute-market/client";
import { cleanup, fireEvent, render } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SOL } from "../lib/currency";
import { PROVIDER, randomAddress } from "../market/fixtures";
import { toProvider } from "../market/indexed";

const base = toProvider({
  ...(PROVIDER as unknown as IndexProvider), lamports_earned: 0n, rates: { per_core: 1_000_000n, per_gb_ram: 1_000n, per_gb_storage: 0n, per_gpu: 0n },
}, []);
const withGpus = (gpuModel: number, vramGb: number, gpus: number) => {
  const authority = randomAddress();
  const capacity = { ...base.account.capacity, gpus };
  return { address: randomAddress(), account: { ...base.account, authority, gpuModel, vramGb, cpuArch: 1, capacity, free: capacity, rates: { ...base.account.rates, perGpu: 1n } } };
};
const a100 = withGpus(0x0202, 80, 4);
const rtx = withGpus(0x0401, 24, 2);
const cpuOnly = withGpus(0, 0, 0);
const bond = (provider: string, mint: string, held: bigint, locked: bigint, pending: bigint): Keyed<Bond> =>
  ({ address: randomAddress(), account: { provider, mint, held, locked, pending } as Bond });
// The A100 provider has a lamport bond partly locked and pending; the RTX provider a bond in a token only.
const bonds = [bond(a100.account.authority, LAMPORT_MINT, 2_500_000_000n, 500_000_000n, 1_000_000_000n), bond(rtx.account.authority, randomAddress(), 7n, 0n, 0n)];
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ providers: [a100, rtx, cpuOnly], jobs: [], quotes: [], bonds, currency: () => SOL }) }));
const { ProvidersScreen } = await import("./ProvidersScreen");

afterEach(cleanup);
const shown = () => [...document.querySelectorAll("tr[data-provider]")].map((row) => row.querySelector('[data-cell="gpus"]')?.textContent);

describe("<ProvidersScreen> GPUs", () => {
  it("shows each provider's GPUs and filters by least VRAM and by family", () => {
    render(<ProvidersScreen />);
    expect(shown()).toEqual(["4 x A100-80GB (80 GB)", "2 x RTX4090-24GB (24 GB)", "none"]);
    fireEvent.change(document.querySelector('input[name="minVramGb"]')!, { target: { value: "40" } });
    expect(shown()).toEqual(["4 x A100-80GB (80 GB)"]);
    fireEvent.change(document.querySelector('input[name="minVramGb"]')!, { target: { value: "" } });
    fireEvent.change(document.querySelector('select[name="gpuFamily"]')!, { target: { value: String(0x04) } });
    expect(shown()).toEqual(["2 x RTX4090-24GB (24 GB)"]);
  });
});

describe("<ProvidersScreen> bonds", () => {
  it("shows each provider's lamport bond, held and free, and none without one", () => {
    render(<ProvidersScreen />);
    const cells = [...document.querySelectorAll("tr[data-provider]")].map((row) => row.querySelector('[data-cell="bond"]')?.textContent);
    expect(cells).toEqual(["2.5 SOL (1 free)", "none", "none"]);
  });
});
