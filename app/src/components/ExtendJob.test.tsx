import { JobStatus, LAMPORT_MINT, type Job } from "@compute-market/client";
import type { Address } from "@solana/kit";
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { formatTime } from "../lib/format";
import { randomAddress } from "../market/fixtures";
import { ExtendJob } from "./ExtendJob";

const me = randomAddress();
const address = randomAddress();
const mint = randomAddress();
const currencies = [SOL, { mint, symbol: "USDC", decimals: 6, enabled: true }];
const client = { extendJob: vi.fn(async () => "extend instruction") };
let currentMe: Address | null = me;
vi.mock("../market/MarketContext", () => ({ useMarket: () => ({ client, me: currentMe, currency: (m: string) => currencyOf(currencies, m) }) }));

const NOW = 1_700_000_000;
/** An hour-long job assigned to someone at 0.0257 SOL an hour, to start within the hour. */
const assigned = {
  client: me, provider: randomAddress(), status: JobStatus.Assigned, paymentMint: LAMPORT_MINT as Address, durationSecs: 3_600,
  agreedPricePerHour: 25_700_000n, assignedAt: BigInt(NOW - 100), startDeadline: BigInt(NOW + 3_600), runDeadline: 0n,
} as Job;
const running = (runDeadline: number) => ({ ...assigned, status: JobStatus.Running, runDeadline: BigInt(runDeadline) }) as Job;

function transaction() {
  const run = vi.fn(async (_label: string, build: () => Promise<unknown[]>) => {
    await build();
    return "signature";
  });
  return { run, fail: vi.fn(), busy: false, tx: { state: "idle" as const } };
}

const show = (job: Job, tx = transaction()) => ({ tx, ...render(<ExtendJob address={address} job={job} transaction={tx as never} />) });
const type = (text: string) => fireEvent.change(screen.getByRole("textbox"), { target: { value: text } });
const extendButton = () => screen.getByRole("button", { name: "Extend" }) as HTMLButtonElement;
const cost = () => screen.getByTestId("extension-estimate").textContent;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(NOW * 1000);
  currentMe = me;
  client.extendJob.mockClear();
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("<ExtendJob>", () => {
  it("is offered to the client of an assigned or running job, and to nobody else", () => {
    expect(show(assigned).container.textContent).toMatch(/^Extend the job/);
    cleanup();
    expect(show(running(NOW + 600)).container.textContent).toMatch(/^Extend the job/);
    cleanup();
    for (const status of [JobStatus.Open, JobStatus.Submitted, JobStatus.Disputed, JobStatus.Completed, JobStatus.Expired]) {
      expect(show({ ...assigned, status } as Job).container.textContent, JobStatus[status]).toBe("");
      cleanup();
    }
    currentMe = randomAddress();
    expect(show(assigned).container.textContent, "someone else's job").toBe("");
    cleanup();
    currentMe = null;
    expect(show(running(NOW + 600)).container.textContent, "no wallet").toBe("");
  });

  it("shows what the added time costs at the agreed price, exactly, in the job's currency", () => {
    show(assigned);
    expect(cost()).toBe("+1 h costs 0.0257 SOL at the agreed 0.0257 SOL/h, escrowed now: the job then runs for 2 h.");
    type("1.5");
    expect(screen.getByText("0.03855 SOL", { selector: "strong" })).toBeTruthy();
    cleanup();

    // Each duration's cost is rounded down: 301 s more of 600 at 7,000,001 an hour is 1,751,944 less 1,166,666.
    show({ ...assigned, durationSecs: 600, agreedPricePerHour: 7_000_001n });
    type("0.0836");
    expect(cost()).toMatch(/^\+5 min costs 0\.000585278 SOL /);
    cleanup();

    show({ ...running(NOW + 600), paymentMint: mint, agreedPricePerHour: 1_200_000n } as Job);
    type(".5");
    expect(cost()).toBe(`+30 min costs 0.6 USDC at the agreed 1.2 USDC/h, escrowed now: the job then runs for 1 h 30 min, its result due by ${formatTime(NOW + 600 + 1_800)}.`);
  });

  it("refuses bad input by name before anything is sent", () => {
    const { tx } = show(assigned);
    const refusals: [string, string][] = [
      ["", "added time: a number of hours"],
      ["  ", "added time: a number of hours"],
      ["abc", 'added time: "abc" is not a number of hours'],
      ["1e3", 'added time: "1e3" is not a number of hours'],
      ["-1", 'added time: "-1" is not a number of hours'],
      ["1.2.3", 'added time: "1.2.3" is not a number of hours'],
      ["0", "added time: above zero (at least a second)"],
      ["0.0001", "added time: above zero (at least a second)"],
      ["2159.0003", "added time: at most 89 d 23 h more (a job runs at most 90 days)"],
      ["9".repeat(40), "added time: at most 89 d 23 h more (a job runs at most 90 days)"],
      ["1".repeat(41), "added time: at most 40 characters"],
    ];
    for (const [text, message] of refusals) {
      type(text);
      act(() => void fireEvent.click(extendButton()));
      expect(screen.getByRole("alert").textContent, JSON.stringify(text)).toBe(message);
      expect(screen.queryByTestId("extension-estimate")).toBeNull();
    }
    expect(tx.run).not.toHaveBeenCalled();
    expect(client.extendJob).not.toHaveBeenCalled();
    cleanup();

    show({ ...assigned, durationSecs: 7_776_000 });
    act(() => void fireEvent.click(extendButton()));
    expect(screen.getByRole("alert").textContent).toBe("added time: none left (a job runs at most 90 days)");
  });

  it("sends the added time in seconds, up to the longest duration", () => {
    const { tx } = show(assigned);
    type(" 1.5 ");
    act(() => void fireEvent.click(extendButton()));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(tx.run).toHaveBeenCalledWith("Extend job", expect.any(Function));
    expect(client.extendJob).toHaveBeenCalledWith(address, 5_400);
    type("2159");
    act(() => void fireEvent.click(extendButton()));
    expect(client.extendJob).toHaveBeenLastCalledWith(address, 7_772_400);
  });

  it("is disabled past the start deadline of an assigned job, and from the run deadline of a running one", () => {
    const late = show({ ...assigned, startDeadline: BigInt(NOW - 1) });
    expect(extendButton().disabled).toBe(true);
    expect(screen.getByTestId("extension-window").textContent).toBe("the start deadline has passed: an assigned job is extended only until it");
    act(() => void fireEvent.submit(extendButton().form!));
    expect(late.tx.run).not.toHaveBeenCalled();
    cleanup();

    show(running(NOW));
    expect(extendButton().disabled, "the program wants the run deadline still ahead").toBe(true);
    cleanup();

    const { tx } = show(running(NOW + 10));
    expect(extendButton().disabled).toBe(false);
    expect(screen.getByTestId("extension-window").textContent).toBe(`until the run deadline, ${formatTime(NOW + 10)}`);
    act(() => void vi.advanceTimersByTime(10_500));
    expect(extendButton().disabled).toBe(true);
    expect(screen.getByTestId("extension-window").textContent).toBe("the run deadline has passed: a running job is extended only before it");
    act(() => void fireEvent.submit(extendButton().form!));
    expect(tx.run).not.toHaveBeenCalled();
  });
});
