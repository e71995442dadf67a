// The activity screen rendered from canned answers of the index (/stats/providers and /stats/clients).
import type { Address } from "@solana/kit";
import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SOL, currencyOf } from "../lib/currency";
import { ACCOUNT_KEY, CLIENT_KEY, PROVIDER_KEY, clientStats, providerStats } from "../market/fixtures";
import { ActivityScreen } from "./ActivityScreen";

let me: Address | null = PROVIDER_KEY as Address;
const rpc = { getAccountInfo: vi.fn(() => ({ send: async () => ({ value: null }) })) };
const currencies = [SOL, { mint: ACCOUNT_KEY, symbol: "TKN", decimals: 6, enabled: true }];
vi.mock("../market/MarketContext", () => ({
  useMarket: () => ({ me, client: { rpc }, cluster: { apiUrl: "http://idx.test" }, version: 0, currency: (mint: string) => currencyOf(currencies, mint) }),
}));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function serve(answers: Record<string, { status?: number; body: unknown }>) {
  const asked: string[] = [];
  vi.stubGlobal("fetch", vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input));
    asked.push(url.pathname + url.search);
    const answer = answers[url.pathname] ?? { status: 404, body: { error: "nothing indexed" } };
    return new Response(JSON.stringify(answer.body), { status: answer.status ?? 200 });
  }));
  return asked;
}

const figure = (name: string) => document.querySelector(`[data-figure="${name}"] .value`)?.textContent;

describe("<ActivityScreen>", () => {
  it("shows a provider's and a client's last 30 days from the index", async () => {
    me = PROVIDER_KEY as Address;
    const now = Math.floor(Date.now() / 1000);
    const asked = serve({ [`/stats/providers/${PROVIDER_KEY}`]: { body: providerStats(now) }, [`/stats/clients/${PROVIDER_KEY}`]: { body: clientStats(now) } });
    render(<ActivityScreen />);
    await screen.findByTestId("provider-activity");
    await screen.findByTestId("client-activity");
    expect(asked.every((a) => /[?&]bucket=day&from=\d+&to=\d+$/.test(a))).toBe(true);
    expect(screen.getByTestId("activity-source").dataset.source).toBe("index");
    expect(figure("earned-30d")).toBe("0.0019 SOL");
    expect(figure("completed-30d")).toBe("3");
    expect(figure("failed-30d")).toBe("1");
    expect(figure("completion-30d")).toBe("75%");
    expect(figure("utilisation-30d")).toBe("1.25%");
    expect(figure("uptime-30d")).toBe("90%");
    // Earned in a token: with its symbol and decimals, apart from SOL.
    expect(figure(`earned-30d-${ACCOUNT_KEY}`)).toBe("0.000042 TKN");
    expect(document.querySelectorAll('[data-chart] svg')).not.toHaveLength(0);
    // Days with activity, newest first: two paid days and one with heartbeats only.
    const rows = within(screen.getByTestId("provider-days")).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.querySelector('[data-cell="earned"]')?.textContent)).toEqual(["0.0004 SOL", "0.0015 SOL", "0 SOL"]);
    expect(screen.getByText("Uptime: 3 of 30 days with a heartbeat")).toBeTruthy();
    expect(document.querySelectorAll('.uptime span[data-up="true"]')).toHaveLength(3);

    expect(figure("spent-30d")).toBe("0.0003 SOL");
    expect(figure("fees-30d")).toBe("0.0000075 SOL");
    expect(figure("refunded-30d")).toBe("0.0097 SOL");
    expect(figure("posted-30d")).toBe("4");
    const clientRows = within(screen.getByTestId("client-days")).getAllByRole("row").slice(1);
    expect(clientRows.map((r) => r.querySelector('[data-cell="spent"]')?.textContent)).toEqual(["0.0003 SOL"]);
  });

  it("says so when the wallet is neither a provider nor a client", async () => {
    me = CLIENT_KEY as Address;
    serve({});
    render(<ActivityScreen />);
    await screen.findByTestId("no-activity");
    expect(screen.queryByTestId("provider-activity")).toBeNull();
  });

  it("shows the index's error instead of figures from a malformed answer", async () => {
    me = PROVIDER_KEY as Address;
    const now = Math.floor(Date.now() / 1000);
    serve({ [`/stats/providers/${PROVIDER_KEY}`]: { body: { ...providerStats(now), series: "<img src=x onerror=alert(1)>" } } });
    render(<ActivityScreen />);
    expect((await screen.findByText(/cannot read your activity/)).textContent).toContain("answer.series is not a list");
    expect(document.querySelector("img")).toBeNull();
  });

  it("asks for a wallet first", () => {
    me = null;
    render(<ActivityScreen />);
    expect(screen.getByText("Connect a wallet to see your earnings and spending.")).toBeTruthy();
  });
});
