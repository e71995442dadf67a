import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER, type Provider } from "@compute-market/client";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomAddress } from "../market/fixtures";
import { ProviderForm } from "./ProviderForm";

const client = { registerProvider: vi.fn(async () => "register"), updateProvider: vi.fn(async () => "update") };
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client }) }));

function transaction() {
  return { run: vi.fn(async (_label: string, build: () => Promise<unknown[]>) => (await build(), "signature")), fail: vi.fn(), busy: false, tx: { state: "idle" as const } };
}

const fill = (container: HTMLElement, name: string, value: string) => fireEvent.change(container.querySelector(`input[name="${name}"]`)!, { target: { value } });
const select = (container: HTMLElement, name: string, value: string) => fireEvent.change(container.querySelector(`select[name="${name}"]`)!, { target: { value } });
const input = (container: HTMLElement, name: string) => container.querySelector(`[name="${name}"]`) as HTMLInputElement | null;
const checkbox = (container: HTMLElement, name: string) => container.querySelector(`input[name="${name}"]`) as HTMLInputElement;

function offer(container: HTMLElement) {
  fill(container, "cores", "4");
  fill(container, "ramGb", "8");
  fill(container, "perCore", "0.001");
  fill(container, "perGbRam", "0.0001");
  fill(container, "metadataUri", "http://127.0.0.1:8911");
}

const existing = (assignment: number, retired = 0, gpus = 0) => ({
  capacity: { cpuCores: 4, ramGb: 8, storageGb: 0, gpus },
  rates: { perCore: 1_000_000n, perGbRam: 100_000n, perGbStorage: 0n, perGpu: gpus ? 5_000_000n : 0n },
  gpuModel: gpus ? 0x0401 : 0, vramGb: gpus ? 24 : 0, cpuArch: 1,
  metadataUri: { len: 5, bytes: Uint8Array.from([...new TextEncoder().encode("http:"), ...new Array(195).fill(0)]) },
  authority: randomAddress(), assignment, retired,
} as unknown as Provider);

beforeEach(() => vi.clearAllMocks());
afterEach(cleanup);

describe("<ProviderForm>", () => {
  it("registers a new provider open to clients and the matcher unless it unticks them", () => {
    const tx = transaction();
    const { container } = render(<ProviderForm existing={null} transaction={tx as never} />);
    expect(checkbox(container, "assignByClients").checked).toBe(true);
    expect(checkbox(container, "assignByMatcher").checked).toBe(true);
    offer(container);
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(client.registerProvider).toHaveBeenLastCalledWith(
      { cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 }, expect.anything(), "http://127.0.0.1:8911", ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER, { gpuModel: 0, vramGb: 0, cpuArch: 0 },
    );
    fireEvent.click(checkbox(container, "assignByMatcher"));
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(client.registerProvider).toHaveBeenLastCalledWith(expect.anything(), expect.anything(), "http://127.0.0.1:8911", ASSIGN_BY_CLIENTS, expect.anything());
  });

  it("refuses bad input by field and signs nothing", () => {
    const tx = transaction();
    const { container } = render(<ProviderForm existing={null} transaction={tx as never} />);
    offer(container);
    fill(container, "cores", "4; rm -rf /");
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(screen.getByRole("alert").textContent).toBe("CPU cores: a whole number");
    expect(tx.run).not.toHaveBeenCalled();
  });

  it("updates the policy a provider stored, and registers a retired one again", () => {
    const tx = transaction();
    const { container, unmount } = render(<ProviderForm existing={existing(ASSIGN_BY_MATCHER)} transaction={tx as never} />);
    expect(checkbox(container, "assignByClients").checked).toBe(false);
    expect(checkbox(container, "assignByMatcher").checked).toBe(true);
    fireEvent.click(checkbox(container, "assignByClients"));
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Update" })));
    expect(client.updateProvider).toHaveBeenLastCalledWith(expect.objectContaining({ assignment: ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER, metadataUri: "http:" }));
    unmount();
    render(<ProviderForm existing={existing(0, 1)} transaction={tx as never} />);
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register again" })));
    expect(client.registerProvider).toHaveBeenLastCalledWith({ cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 0 }, expect.anything(), "http:", 0, { gpuModel: 0, vramGb: 0, cpuArch: 1 });
  });

  it("asks for the GPUs' model when GPUs are offered, fills in its VRAM, and sends both with the CPU architecture", () => {
    const tx = transaction();
    const { container } = render(<ProviderForm existing={null} transaction={tx as never} />);
    offer(container);
    expect(input(container, "gpuModel")).toBeNull();
    fill(container, "gpus", "4");
    fill(container, "perGpu", "0.01");
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(screen.getAllByRole("alert").map((a) => a.textContent)).toEqual(["GPU model: pick the model of the GPUs you offer", "GPU memory: 1 to 4096 GB per GPU"]);
    expect(tx.run).not.toHaveBeenCalled();
    select(container, "gpuModel", String(0x0202));
    expect(input(container, "vramGb")!.value).toBe("80");
    fill(container, "vramGb", "5000");
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(screen.getByRole("alert").textContent).toBe("GPU memory: at most 4096");
    fill(container, "vramGb", "79");
    select(container, "cpuArch", "2");
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Register" })));
    expect(client.registerProvider).toHaveBeenLastCalledWith(
      { cpuCores: 4, ramGb: 8, storageGb: 0, gpus: 4 }, expect.anything(), "http://127.0.0.1:8911", ASSIGN_BY_CLIENTS | ASSIGN_BY_MATCHER, { gpuModel: 0x0202, vramGb: 79, cpuArch: 2 },
    );
  });

  it("starts an update from the stored hardware and sends it", () => {
    const tx = transaction();
    const { container } = render(<ProviderForm existing={existing(ASSIGN_BY_CLIENTS, 0, 2)} transaction={tx as never} />);
    expect(input(container, "gpuModel")!.value).toBe(String(0x0401));
    expect(input(container, "vramGb")!.value).toBe("24");
    expect(input(container, "cpuArch")!.value).toBe("1");
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Update" })));
    expect(client.updateProvider).toHaveBeenLastCalledWith(expect.objectContaining({ hardware: { gpuModel: 0x0401, vramGb: 24, cpuArch: 1 } }));
  });
});
