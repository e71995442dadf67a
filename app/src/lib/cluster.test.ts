import { describe, expect, it } from "vitest";
import { checkRpcUrl, fetchServedConfig, loadChoice, resolveCluster, saveChoice, websocketUrl } from "./cluster";

const memory = () => {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
};

describe("cluster choice", () => {
  it("derives the WebSocket address as Solana's tools do", () => {
    expect(websocketUrl("http://127.0.0.1:8899")).toBe("ws://127.0.0.1:8900");
    expect(websocketUrl("https://api.devnet.solana.com")).toBe("wss://api.devnet.solana.com");
  });

  it("uses the served node description for localnet, else the standard ports", () => {
    const choice = { name: "localnet" as const, customRpc: "", customMatcher: "" };
    expect(resolveCluster(choice, null).rpcUrl).toBe("http://127.0.0.1:8899");
    const served = { rpcUrl: "http://127.0.0.1:5000", wsUrl: "ws://127.0.0.1:5009", matcherUrl: "http://127.0.0.1:5010" };
    expect(resolveCluster(choice, served)).toEqual({ name: "localnet", ...served, apiUrl: null, mints: [] });
    expect(resolveCluster(choice, { ...served, apiUrl: "http://127.0.0.1:5011" }).apiUrl).toBe("http://127.0.0.1:5011");
    expect(resolveCluster(choice, null).apiUrl).toBeNull();
  });

  it("reads the index's address from /config.json, ignoring one that is not an http(s) URL", async () => {
    const serve = (body: unknown) => (async () => new Response(JSON.stringify(body))) as unknown as typeof fetch;
    const base = { rpcUrl: "http://h:1", wsUrl: "ws://h:2", matcherUrl: "http://h:3" };
    expect(await fetchServedConfig(serve({ ...base, apiUrl: "http://h:4" }))).toEqual({ ...base, apiUrl: "http://h:4" });
    expect((await fetchServedConfig(serve({ ...base, apiUrl: null })))?.apiUrl).toBeNull();
    expect((await fetchServedConfig(serve({ ...base, apiUrl: "javascript:alert(1)" })))?.apiUrl).toBeNull();
    expect((await fetchServedConfig(serve(base)))?.apiUrl).toBeNull();
  });

  it("reads the named mints of /config.json, leaving out malformed ones", async () => {
    const serve = (body: unknown) => (async () => new Response(JSON.stringify(body))) as unknown as typeof fetch;
    const base = { rpcUrl: "http://h:1", wsUrl: "ws://h:2", matcherUrl: "http://h:3" };
    const usdc = { address: "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", symbol: "USDC", decimals: 6 };
    const served = await fetchServedConfig(serve({ ...base, mints: [usdc, { address: "x", symbol: "X", decimals: 1 }] }));
    expect(served?.mints).toEqual([usdc]);
    expect(resolveCluster({ name: "localnet", customRpc: "", customMatcher: "" }, served).mints).toEqual([usdc]);
    expect((await fetchServedConfig(serve({ ...base, mints: "USDC" })))?.mints).toBeUndefined();
  });

  it("takes an index address for a custom cluster from ?api=", () => {
    const choice = loadChoice(memory(), "?rpc=http://h:1&api=http://i:2");
    expect(resolveCluster(choice, null).apiUrl).toBe("http://i:2");
    expect(resolveCluster(loadChoice(memory(), "?rpc=http://h:1"), null).apiUrl).toBeNull();
  });

  it("keeps a custom URL, and a ?rpc= address overrides the saved choice", () => {
    const storage = memory();
    expect(loadChoice(storage, "").name).toBe("localnet");
    saveChoice(storage, { name: "custom", customRpc: "http://10.0.0.2:8899", customMatcher: "" });
    expect(resolveCluster(loadChoice(storage, ""), null).wsUrl).toBe("ws://10.0.0.2:8900");
    expect(loadChoice(storage, "?rpc=http://h:1&matcher=http://m:2")).toEqual({ name: "custom", customRpc: "http://h:1", customMatcher: "http://m:2" });
    expect(loadChoice(storage, "?rpc=ftp://h").customRpc).toBe("http://10.0.0.2:8899");
  });

  it("refuses RPC addresses that are not http(s) URLs", () => {
    expect(checkRpcUrl("https://api.devnet.solana.com")).toBeNull();
    expect(checkRpcUrl("ws://h:1")).toMatch("must start with http");
    expect(checkRpcUrl("localhost")).toMatch("is not a URL");
  });
});
