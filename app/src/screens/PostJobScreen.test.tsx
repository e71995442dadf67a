// Posting a job in a token: the picker lists the currencies new jobs may use, the balance, estimate and maximum
// price are in the chosen one's decimals, and the post carries its mint.
import type { Keyed, MintQuote, Provider } from "@compute-market/client";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { randomAddress } from "../market/fixtures";

const me = randomAddress();
const mint = randomAddress();
const retired = randomAddress();
const currencies = [SOL, { mint, symbol: "USDC", decimals: 6, enabled: true }, { mint: retired, symbol: "OLD", decimals: 2, enabled: false }];
const authority = randomAddress();
const providers: Keyed<Provider>[] = [{
  address: randomAddress(),
  account: { authority, active: 1, retired: 0, reputation: 5000, rates: { perCore: 1_000_000n, perGbRam: 1_000n, perGbStorage: 0n, perGpu: 0n }, free: { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 0 } } as Provider,
}];
const quotes: Keyed<MintQuote>[] = [{ address: randomAddress(), account: { provider: authority, mint, rates: { perCore: 250_000n, perGbRam: 10_000n, perGbStorage: 0n, perGpu: 0n } } as MintQuote }];
const client = {
  rpc: { getBalance: () => ({ send: async () => ({ value: 3_000_000_000n }) }) },
  tokenBalance: vi.fn(async () => 1_234_567n),
  getClientProfile: vi.fn(async () => ({ nextJobId: 7n })),
  postJob: vi.fn(async () => "post"),
  registerClient: vi.fn(async () => "register"),
};
const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature"));
vi.mock("../market/MarketContext", () => ({
  useMarket: () => ({ client, me, providers, quotes, bonds: [], market: null, version: 0, currencies, currency: (m: string) => currencyOf(currencies, m) }),
}));
vi.mock("../tx/useTransaction", () => ({ useTransaction: () => ({ tx: { state: "idle" }, run, fail: vi.fn(), busy: false }) }));
const { PostJobScreen } = await import("./PostJobScreen");

beforeEach(() => vi.clearAllMocks());
afterEach(cleanup);
const figure = (name: string) => document.querySelector(`[data-figure="${name}"]`)?.textContent;
const fill = (name: string, value: string) => fireEvent.change(document.querySelector(`[name="${name}"]`)!, { target: { value } });

describe("<PostJobScreen> in a token", () => {
  it("offers SOL and the enabled mints, and prices, checks and posts in the chosen one", async () => {
    render(<PostJobScreen />);
    const picker = document.querySelector('select[name="currency"]') as HTMLSelectElement;
    expect([...picker.options].map((o) => o.textContent)).toEqual(["SOL", "USDC"]);
    expect(figure("escrow")).toBe("0.01 SOL");
    await screen.findByText("you hold 3 SOL");

    fireEvent.change(picker, { target: { value: mint } });
    await screen.findByText("you hold 1.234567 USDC");
    fill("maxPrice", "0.0000001");
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Post job" })));
    expect(screen.getByRole("alert").textContent).toBe("maximum price: at most 6 decimals (1 base unit is 0.000001 USDC)");
    expect(run).not.toHaveBeenCalled();
    fill("maxPrice", "0.6");
    expect(figure("escrow")).toBe("0.6 USDC");
    expect(figure("fitting")).toBe("1");
    expect(figure("cheapest")).toBe("0.54 USDC/h"); // 2 cores at 0.25 and 4 GB at 0.01 per hour
    fill("maxPrice", "2");
    expect(screen.getByTestId("short").textContent).toMatch(/^That is more than the 1.234567 USDC you hold/);

    fireEvent.click(screen.getByRole("button", { name: "Post job" }));
    await vi.waitFor(() => expect(client.postJob).toHaveBeenCalled());
    expect(client.postJob).toHaveBeenCalledWith(7n, expect.objectContaining({ maxPricePerHour: 2_000_000n, durationSecs: 3600 }), { mint });
    expect(client.registerClient).not.toHaveBeenCalled();
    expect(window.location.hash).toMatch(/^#\/jobs\/\w{32,44}$/);
  });

  it("asks what each GPU must be only for a job with GPUs, refuses a model of another family by name, and posts the needs", async () => {
    render(<PostJobScreen />);
    expect(screen.queryByTestId("gpu-needs")).toBeNull();
    fill("gpus", "1");
    expect(screen.getByTestId("gpu-needs")).toBeTruthy();
    fill("minVramGb", "80");
    fill("gpuModel1", String(0x0101));
    fill("gpuFamily", String(0x02));
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Post job" })));
    expect(screen.getByRole("alert").textContent).toBe("H100-SXM-80GB: not of the A100 family");
    expect(client.postJob).not.toHaveBeenCalled();
    const offered = [...(document.querySelector('select[name="gpuModel2"]') as HTMLSelectElement).options].map((o) => o.textContent);
    expect(offered).toEqual(["any", "A100-40GB (40 GB)", "A100-80GB (80 GB)"]);
    fill("gpuModel1", String(0x0202));
    fireEvent.click(screen.getByRole("button", { name: "Post job" }));
    await vi.waitFor(() => expect(client.postJob).toHaveBeenCalled());
    expect(client.postJob).toHaveBeenCalledWith(7n, expect.objectContaining({ gpu: { models: [0x0202, 0, 0, 0], minVramGb: 80, family: 0x02 } }), null);
  });
});

describe("<PostJobScreen> minimum bond", () => {
  it("refuses a bond that is not an amount by name, and posts one in the job's currency", async () => {
    render(<PostJobScreen />);
    fireEvent.change(document.querySelector('select[name="currency"]')!, { target: { value: mint } });
    fill("maxPrice", "1");
    fill("minBond", "5e6");
    await act(async () => void fireEvent.click(screen.getByRole("button", { name: "Post job" })));
    expect(screen.getByRole("alert").textContent).toBe('minimum bond: "5e6" is not an amount of USDC');
    expect(run).not.toHaveBeenCalled();
    // The only provider has no bond: none fits a bonded job.
    fill("minBond", "2.5");
    expect(figure("fitting")).toBe("0");
    fireEvent.click(screen.getByRole("button", { name: "Post job" }));
    await vi.waitFor(() => expect(client.postJob).toHaveBeenCalled());
    expect(client.postJob).toHaveBeenCalledWith(7n, expect.objectContaining({ minBond: 2_500_000n, maxPricePerHour: 1_000_000n }), { mint });
  });
});
