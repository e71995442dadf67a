// The market as the dApp sees it: a client for the connected wallet (read-only without one), the market,
// its providers, client profiles (the market's totals are their sums) and jobs, reloaded whenever one of
// the program's accounts changes on the node.
import { MarketClient, PROGRAM_ID, type ClientProfile, type Job, type Keyed, type Market, type Provider } from "@compute-market/client";
import type { Wallet } from "@anchor-lang/core";
import { useAnchorWallet, useConnection } from "@solana/wallet-adapter-react";
import { PublicKey } from "@solana/web3.js";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Cluster } from "../lib/cluster";

export interface MarketState {
  cluster: Cluster;
  client: MarketClient;
  /** The connected wallet's address, or null. */
  me: PublicKey | null;
  market: Market | null;
  providers: Keyed<Provider>[];
  clients: Keyed<ClientProfile>[];
  jobs: Keyed<Job>[];
  /** Why the last load failed, in words (no market on this cluster, node unreachable...). */
  error: string | null;
  loading: boolean;
  /** Bumped on every reload, for views that derive more (events, explanations) from the chain. */
  version: number;
  reload(): void;
}

const MarketContext = createContext<MarketState | null>(null);

const EMPTY: Pick<MarketState, "market" | "providers" | "clients" | "jobs" | "error"> = { market: null, providers: [], clients: [], jobs: [], error: null };

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
  const [data, setData] = useState<Pick<MarketState, "market" | "providers" | "clients" | "jobs" | "error">>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    Promise.all([client.getMarket(), client.listProviders(), client.listClientProfiles(), client.listJobs()])
      .then(([market, providers, clients, jobs]) => mine === generation.current && setData({ market, providers, clients, jobs, error: null }))
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
  }, [client, cluster.rpcUrl]);

  useEffect(() => {
    reload();
    // Account changes arrive over the WebSocket; bursts (one transaction touches several accounts) reload once.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(reload, 250);
    };
    const id = connection.onProgramAccountChange(PROGRAM_ID, soon, { commitment: "confirmed" });
    const poll = setInterval(reload, 15_000);
    return () => {
      clearTimeout(timer);
      clearInterval(poll);
      void connection.removeProgramAccountChangeListener(id);
    };
  }, [connection, reload]);

  const value: MarketState = { cluster, client, me: wallet?.publicKey ?? null, ...data, loading, version, reload };
  return <MarketContext.Provider value={value}>{children}</MarketContext.Provider>;
}

export function useMarket(): MarketState {
  const state = useContext(MarketContext);
  if (!state) throw new Error("useMarket outside MarketProvider");
  return state;
}
