// Which cluster the dApp talks to: the local node (as the page that served the dApp describes it in
// /config.json, else the standard local ports), devnet, or a custom JSON-RPC URL. The choice is kept in
// localStorage; `?rpc=` in the page's address picks a custom cluster for a shared link.
import { parseConfiguredMints, type ConfiguredMint } from "./currency";

export type ClusterName = "localnet" | "devnet" | "custom";

export interface Cluster {
  name: ClusterName;
  rpcUrl: string;
  wsUrl: string;
  /** Where the matcher serves its explanations ("" when none is known for this cluster). */
  matcherUrl: string;
  /** The index's REST API (docs/API.md), or null when this cluster has none: lists then come from the node. */
  apiUrl: string | null;
  /** The mints the node names (symbol, decimals); others go by short address. */
  mints: ConfiguredMint[];
}

/** What `localnet --app` serves at /config.json. */
export interface ServedConfig {
  rpcUrl: string;
  wsUrl: string;
  matcherUrl: string;
  apiUrl?: string | null;
  mints?: ConfiguredMint[];
}

export interface ClusterChoice {
  name: ClusterName;
  customRpc: string;
  customMatcher: string;
  /** The index's API for a custom or devnet cluster ("" or absent: none). */
  customApi?: string;
}

/** Without a served /config.json no index is known: the dApp reads the node. */
export const LOCALNET: ServedConfig = { rpcUrl: "http://127.0.0.1:8899", wsUrl: "ws://127.0.0.1:8900", matcherUrl: "http://127.0.0.1:8901", apiUrl: null };
export const DEVNET_RPC = "https://api.devnet.solana.com";
const STORAGE_KEY = "compute-market.cluster";

/** The WebSocket address for a JSON-RPC address: ws(s), and the next port when one is given (Solana's convention). */
export function websocketUrl(rpcUrl: string): string {
  const url = new URL(rpcUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  if (url.port) url.port = String(Number(url.port) + 1);
  return url.toString().replace(/\/$/, "");
}

/** Null when `text` is an http(s) URL, else why not. */
export function checkRpcUrl(text: string): string | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? null : "the RPC URL must start with http:// or https://";
  } catch {
    return `"${text}" is not a URL`;
  }
}

export function resolveCluster(choice: ClusterChoice, served: ServedConfig | null): Cluster {
  switch (choice.name) {
    case "localnet": {
      const local = served ?? LOCALNET;
      return { name: "localnet", ...local, apiUrl: local.apiUrl || null, mints: local.mints ?? [] };
    }
    case "devnet":
      return { name: "devnet", rpcUrl: DEVNET_RPC, wsUrl: websocketUrl(DEVNET_RPC), matcherUrl: choice.customMatcher, apiUrl: choice.customApi || null, mints: [] };
    case "custom":
      return { name: "custom", rpcUrl: choice.customRpc, wsUrl: websocketUrl(choice.customRpc), matcherUrl: choice.customMatcher, apiUrl: choice.customApi || null, mints: [] };
  }
}

/** The saved choice, overridden by `?rpc=` (and `?matcher=`, `?api=`) in the page's address. */
export function loadChoice(storage: Pick<Storage, "getItem">, search: string): ClusterChoice {
  const params = new URLSearchParams(search);
  const rpc = params.get("rpc");
  if (rpc && checkRpcUrl(rpc) === null) {
    const api = params.get("api");
    return { name: "custom", customRpc: rpc, customMatcher: params.get("matcher") ?? "", ...(api && checkRpcUrl(api) === null ? { customApi: api } : {}) };
  }
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? "null") as ClusterChoice | null;
    if (saved && ["localnet", "devnet", "custom"].includes(saved.name)) return saved;
  } catch {
    // A damaged entry is forgotten.
  }
  return { name: "localnet", customRpc: "", customMatcher: "" };
}

export function saveChoice(storage: Pick<Storage, "setItem">, choice: ClusterChoice): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(choice));
}

/** The node description served next to the dApp, or null when the dApp is served some other way. */
export async function fetchServedConfig(fetcher: typeof fetch = fetch): Promise<ServedConfig | null> {
  try {
    const response = await fetcher("./config.json");
    if (!response.ok) return null;
    const config = (await response.json()) as Partial<Record<keyof ServedConfig, unknown>>;
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    // An index address that is not an http(s) URL is ignored: the dApp then reads the node.
    const apiUrl = typeof config.apiUrl === "string" && checkRpcUrl(config.apiUrl) === null ? config.apiUrl : null;
    // Named mints are read when present (each checked); without them the market's mints go by address.
    const mints = parseConfiguredMints((config as { mints?: unknown }).mints);
    return text(config.rpcUrl) && text(config.wsUrl)
      ? { rpcUrl: text(config.rpcUrl), wsUrl: text(config.wsUrl), matcherUrl: text(config.matcherUrl), apiUrl, ...(mints.length > 0 ? { mints } : {}) }
      : null;
  } catch {
    return null;
  }
}
