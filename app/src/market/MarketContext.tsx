// The market as the dApp sees it: a client for the connected wallet (read-only without one), the market,
// its providers and jobs, the currencies it accepts, providers' quotes in them and their bonds, reloaded whenever one of the
// program's accounts changes on the node (a program subscription: live status). With an index (the cluster's
// apiUrl) the lists come from its API, re-read on each change (debounced, once the index has read that slot)
// and the wallet's own records from their accounts; without one, everything is read from the node with
// getProgramAccounts, client profiles too (the market's totals are then their sums), on each change and every 15 s.
import {
  IndexApi, MarketClient, NODE_HISTORY_NOTE, PROGRAM_ID, generated, listBonds, programAccounts,
  type Bond, type ClientProfile, type Job, type Keyed, type Market, type MintQuote, type Provider,
} from "@compute-market/client";
import { createSolanaRpc, createSolanaRpcSubscriptions, type Address } from "@solana/kit";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { Cluster } from "../lib/cluster";
import { SOL, currencyList, currencyOf, type Currency } from "../lib/currency";
import { useWalletSigner } from "../wallet/WalletProvider";
import { loadFromIndex, waitForSlot } from "./indexed";

export interface MarketState {
  cluster: Cluster;
  client: MarketClient;
  /** The connected wallet's address, or null. */
  me: Address | null;
  market: Market | null;
  providers: Keyed<Provider>[];
  /** Client profiles: read from the node only (empty with an index, whose figures replace their sums). */
  clients: Keyed<ClientProfile>[];
  jobs: Keyed<Job>[];
  /** SOL and every mint the market has a record of (enabled or not), SOL first. */
  currencies: Currency[];
  /** Every provider's quotes: its rates in a mint, in the mint's base units. */
  quotes: Keyed<MintQuote>[];
  /** Every provider's bonds, one per provider and currency (read from the node, whatever the lists' source). */
  bonds: Keyed<Bond>[];
  /** The currency of a payment mint (SOL for the default address). */
  currency(mint: string): Currency;
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

type Data = Pick<MarketState, "market" | "providers" | "clients" | "jobs" | "currencies" | "quotes" | "bonds" | "error">;
const EMPTY: Data = { market: null, providers: [], clients: [], jobs: [], currencies: [SOL], quotes: [], bonds: [], error: null };

/** The API client for `apiUrl`, or null when there is none (or it is not a usable URL). */
export function indexFor(apiUrl: string | null | undefined): IndexApi | null {
  if (!apiUrl) return null;
  try {
    return new IndexApi(apiUrl);
  } catch {
    return null;
  }
}

export function MarketProvider({ cluster, children }: { cluster: Cluster; children: ReactNode }) {
  const rpc = useMemo(() => createSolanaRpc(cluster.rpcUrl), [cluster.rpcUrl]);
  const rpcSubscriptions = useMemo(() => createSolanaRpcSubscriptions(cluster.wsUrl), [cluster.wsUrl]);
  const signer = useWalletSigner();
  const client = useMemo(() => new MarketClient(rpc, signer, rpcSubscriptions), [rpc, signer, rpcSubscriptions]);
  const api = useMemo(() => indexFor(cluster.apiUrl), [cluster.apiUrl]);
  const me = signer?.address ?? null;
  const [data, setData] = useState<Data>(EMPTY);
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);
  const [indexFailure, setIndexFailure] = useState<string | null>(null);
  const generation = useRef(0);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    setLoading(true);
    // The currencies, quotes and bonds are the program's own accounts, read from the node whatever the lists' source.
    const money = Promise.all([
      client.listPaymentMints(),
      programAccounts(client.rpc, generated.MINT_QUOTE_DISCRIMINATOR, generated.getMintQuoteDecoder()),
      listBonds(client.rpc),
    ]).then(([mints, quotes, bonds]) => ({ currencies: currencyList(mints, cluster.mints), quotes, bonds }));
    const fromNode = () => Promise.all([client.getMarket(), client.listProviders(), client.listClientProfiles(), client.listJobs()])
      .then(([market, providers, clients, jobs]) => ({ market, providers, clients, jobs }));
    // An index that cannot be read (down, or answering garbage) leaves the node to answer, saying so; the next
    // reload tries the index again.
    const lists: Promise<{ data: Omit<Data, "currencies" | "quotes" | "bonds" | "error">; failure: string | null }> = api
      ? loadFromIndex(client, api, me).then(
        ({ market, providers, jobs }) => ({ data: { market, providers, clients: [], jobs }, failure: null }),
        (e: Error) => {
          if (e.name !== "IndexApiError") throw e;
          return fromNode().then((data) => ({ data, failure: `the index at ${cluster.apiUrl} cannot be read (${e.message}): lists come from the node and history is limited to recent transactions` }));
        },
      )
      : fromNode().then((data) => ({ data, failure: null }));
    Promise.all([lists, money])
      .then(([{ data: next, failure }, paid]) => {
        if (mine !== generation.current) return;
        setData({ ...next, ...paid, error: null });
        setIndexFailure(failure);
      })
      .catch((e: Error) => {
        if (mine !== generation.current) return;
        const missing = /no market account/.test(e.message);
        setData({ ...EMPTY, error: missing ? `no compute_market market on ${cluster.rpcUrl}` : `cannot read ${cluster.rpcUrl}: ${e.message}` });
      })
      .finally(() => {
        if (mine === generation.current) {
          setLoading(false);
          setVersion((v) => v + 1);
        }
      });
  }, [client, api, me, cluster.rpcUrl, cluster.apiUrl, cluster.mints]);

  useEffect(() => {
    reload();
    // Account changes arrive over the WebSocket; bursts (one transaction touches several accounts) reload once.
    // With an index the reload waits until the index has read the slot of the latest change.
    let timer: ReturnType<typeof setTimeout> | undefined;
    let latest = 0;
    const stop = new AbortController();
    const soon = (slot: number) => {
      latest = Math.max(latest, slot);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!api) return reload();
        void waitForSlot(api, latest).then(() => !stop.signal.aborted && reload());
      }, api ? 300 : 250);
    };
    rpcSubscriptions.programNotifications(PROGRAM_ID, { commitment: "confirmed", encoding: "base64" })
      .subscribe({ abortSignal: stop.signal })
      .then(async (changes) => {
        for await (const change of changes) soon(Number(change.context.slot));
      })
      // A subscription that cannot be made or drops leaves the polling below to keep the page current.
      .catch(() => undefined);
    // Without an index the node is read again every 15 s; the index every 10 s as a safety net (it may lag the change that woke a reload).
    const poll = setInterval(reload, api ? 10_000 : 15_000);
    return () => {
      stop.abort();
      clearTimeout(timer);
      clearInterval(poll);
    };
  }, [rpcSubscriptions, reload, api]);

  // While the index cannot be read the screens read the node, as without one.
  const usable = indexFailure ? null : api;
  const currencies = data.currencies;
  const currency = useCallback((mint: string) => currencyOf(currencies, mint), [currencies]);
  const value: MarketState = {
    cluster, client, me, ...data, currency, api: usable, source: usable ? "index" : "node", note: api ? indexFailure : NODE_HISTORY_NOTE, loading, version, reload,
  };
  return <MarketContext.Provider value={value}>{children}</MarketContext.Provider>;
}

export function useMarket(): MarketState {
  const state = useContext(MarketContext);
  if (!state) throw new Error("useMarket outside MarketProvider");
  return state;
}
