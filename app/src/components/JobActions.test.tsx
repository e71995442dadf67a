import { JobStatus, type Job } from "@compute-market/client";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { randomAddress } from "../market/fixtures";
import { JobActions } from "./JobActions";

const me = randomAddress();
const provider = randomAddress();
const address = randomAddress();
const client = { takeBackJob: vi.fn(async () => "take-back instruction"), declineJob: vi.fn(async () => "decline instruction") };
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client, me: currentMe }) }));
let currentMe = me;

const NOW = 1_700_000_000;
const assigned = (assignedAt: number): Job => ({
  client: me, provider, status: JobStatus.Assigned, assignedAt: BigInt(assignedAt), startDeadline: BigInt(assignedAt + 3_600),
} as Job);

function transaction() {
  const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => {
    await build();
    return "signature";
  });
  return { run, fail: vi.fn(), busy: false, tx: { state: "idle" as const } };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(NOW * 1000);
  currentMe = me;
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("<JobActions>", () => {
  it("shows the client's take-back disabled until TAKE_BACK_AFTER_SECS after assignment, then takes the job back from its provider", () => {
    const tx = transaction();
    render(<JobActions address={address} job={assigned(NOW - 100)} transaction={tx as never} />);
    const button = screen.getByRole("button", { name: "Take back" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.parentElement!.textContent).toMatch(/from .*: the provider has not started it/);
    fireEvent.click(button);
    expect(tx.run).not.toHaveBeenCalled();

    act(() => void vi.advanceTimersByTime(499_000));
    expect((screen.getByRole("button", { name: "Take back" }) as HTMLButtonElement).disabled).toBe(true);
    act(() => void vi.advanceTimersByTime(1_500));
    const enabled = screen.getByRole("button", { name: "Take back" }) as HTMLButtonElement;
    expect(enabled.disabled).toBe(false);
    // The click builds the instruction at once (the wallet's signing comes later, in `run`).
    act(() => void fireEvent.click(enabled));
    expect(tx.run).toHaveBeenCalledWith("Take back", expect.any(Function));
    expect(client.takeBackJob).toHaveBeenCalledWith(address, provider);
  });

  it("lets the assigned provider decline, and offers no dispute on a running job", () => {
    currentMe = provider;
    const tx = transaction();
    const { rerender } = render(<JobActions address={address} job={assigned(NOW - 100)} transaction={tx as never} />);
    act(() => void fireEvent.click(screen.getByRole("button", { name: "Decline" })));
    expect(client.declineJob).toHaveBeenCalledWith(address);
    currentMe = me;
    const running = { ...assigned(NOW - 5_000), status: JobStatus.Running, runDeadline: BigInt(NOW - 10), graceDeadline: BigInt(NOW + 100) } as Job;
    rerender(<JobActions address={address} job={running} transaction={tx as never} />);
    expect(screen.queryByRole("button", { name: "Dispute" })).toBeNull();
  });
});
