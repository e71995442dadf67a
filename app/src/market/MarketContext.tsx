// The market as the dApp sees it: a client for the connected wallet (read-only without one), the market,
// its providers and jobs, reloaded whenever one of the program's accounts changes on the node (an account
// subscription: live status). With an index (the cluster's apiUrl) the lists come from its API, re-read on
// each change (debounced, once the index has read that slot) and the wallet's own records from their
// accounts; without one, everything is read from the node with getProgramAccounts, client profiles too (the
// market's totals are then their sums), on each change and every 15 s.
import { IndexApi, MarketClient, NODE_HISTORY_NOTE, PROGRAM_ID, type ClientProfile, type Job, type Keyed, type Market, type Provider } from "@compute-market/client";
import type { Wallet } from "@anchor-lang/core";
import { useAnchorWallet, useConnection } from "@solana/wallet-adapter-react";
import { PublicKey } from "@solana/web3.js";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Cluster } from "../lib/cluster";
import { loadFromIndex, waitForSlot } from "./indexed";

export interface MarketState {
  cluster: Cluster;
  client: MarketClient;
  /** The connected wallet's address, or null. */
  me: PublicKey | null;
  market: Market | null;
  providers: Keyed<Provider>[];
  /** Client profiles: read from the node only (empty with an index, whose figures replace their sums). */
  clients: Keyed<ClientProfile>[];
  jobs: Keyed<Job>[];
  /** The index's API client, or null when the cluster has none. */
  api: IndexApi | null;
  /** Where lists, history and charts come from. */
  source: "index" | "node";
  /** Null with a working index; else what reading the node leaves out (and why the index is not read), to show. */
  note: string | null;
  /** Why the last load failed, in words (no market on this cluster, node unreachable...). */
  error: string | null;
  loading: boolean;
  /** Bumped on every reload, for views that derive more (events, explanations) from the chain. */
  version: number;
  reload(): void;
}

const MarketContext = createContext<MarketState | null>(null);

type Data = Pick<MarketState, "market" | "providers" | "clients" | "jobs" | "error">;
const EMPTY: Data = { market: null, providers: [], clients: [], jobs: [], error: null };

/** The API client for `apiUrl`, or null when there is none (or it is not a usable URL). */
export function indexFor(apiUrl: string | null | undefined): IndexApi | null {
  if (!apiUrl) return null;
  try {
    return new IndexApi(apiUrl);
  } catch {
    return null;
  }
}

/** A wallet that cannot sign: the client reads the chain before a wallet is connected. */
const readOnly: Wallet = {
  publicKey: PublicKey.default,
  signTransaction: () => Promise.reject(new Error("connect a wallet first")),
  signAllTransactions: () => Promise.reject(new Error("connect a wallet first")),
} as unknown as Wallet;

export function MarketProvider({ cluster, children }: { cluster: Cluster; children: ReactNode }) {
  const { connection } = useConnection();
  const wallet = useAnchorWallet();
  const client = useMemo(() => new MarketClient(connection, (wallet as Wallet | undefined) ?? readOnly), [connection, wallet]);
  const api = useMemo(() => indexFor(cluster.apiUrl), [cluster.apiUrl]);
  const me = wallet?.publicKey ?? null;
  const [data, setData] = useState<Data>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const [indexFailure, setIndexFailure] = useState<string | null>(null);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    const fromNode = () => Promise.all([client.getMarket(), client.listProviders(), client.listClientProfiles(), client.listJobs()])
      .then(([market, providers, clients, jobs]): Data => ({ market, providers, clients, jobs, error: null }));
    // An index that cannot be read (down, or answering garbage) leaves the node to answer, saying so; the next
    // reload tries the index again.
    const read: Promise<{ data: Data; failure: string | null }> = api
      ? loadFromIndex(client, api, me).then(
        ({ market, providers, jobs }) => ({ data: { market, providers, clients: [], jobs, error: null }, failure: null }),
        (e: Error) => {
          if (e.name !== "IndexApiError") throw e;
          return fromNode().then((data) => ({ data, failure: `the index at ${cluster.apiUrl} cannot be read (${e.message}): lists come from the node and history is limited to recent transactions` }));
        },
      )
      : fromNode().then((data) => ({ data, failure: null }));
    read
      .then(({ data: next, failure }) => {
        if (mine !== generation.current) return;
        setData(next);
        setIndexFailure(failure);
      })
      .catch((e: Error) => {
        if (mine !== generation.current) return;
        const missing = /Account does not exist/.test(e.message);
        setData({ ...EMPTY, error: missing ? `no compute_market market on ${cluster.rpcUrl}` : `cannot read ${cluster.rpcUrl}: ${e.message}` });
      })
      .finally(() => {
        if (mine === generation.current) {
          setLoading(false);
          setVersion((v) => v + 1);
        }
      });
  }, [client, api, me?.toBase58(), cluster.rpcUrl, cluster.apiUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    reload();
    // Account changes arrive over the WebSocket; bursts (one transaction touches several accounts) reload once.
    // With an index the reload waits until the index has read the slot of the latest change.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest = 0;
    let stopped = false;
    const soon = (_: unknown, context: { slot: number }) => {
      latest = Math.max(latest, context?.slot ?? 0);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!api) return reload();
        void waitForSlot(api, latest).then(() => !stopped && reload());
      }, api ? 300 : 250);
    };
    const id = connection.onProgramAccountChange(PROGRAM_ID, soon, { commitment: "confirmed" });
    // Without an index the node is read again every 15 s; the index every 10 s as a safety net (it may lag the change that woke a reload).
    const poll = setInterval(reload, api ? 10_000 : 15_000);
    return () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(poll);
      void connection.removeProgramAccountChangeListener(id);
    };
  }, [connection, reload, api]);

  // While the index cannot be read the screens read the node, as without one.
  const usable = indexFailure ? null : api;
  const value: MarketState = {
    cluster, client, me, ...data, api: usable, source: usable ? "index" : "node", note: api ? indexFailure : NODE_HISTORY_NOTE, loading, version, reload,
  };
  return <MarketContext.Provider value={value}>{children}</MarketContext.Provider>;
}

export function useMarket(): MarketState {
  const state = useContext(MarketContext);
  if (!state) throw new Error("useMarket outside MarketProvider");
  return state;
}
