// The providers list names each provider's GPUs, and narrows by GPU memory and family.
import type { IndexProvider } from "@compute-market/client";
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
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ providers: [a100, rtx, cpuOnly], jobs: [], quotes: [], currency: () => SOL }) }));
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
