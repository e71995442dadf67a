import type { Address } from "@solana/kit";
import { useEffect, useRef, useState } from "react";
import { fetchEvents, type TimedEvent } from "./history";
import { indexedProviderEvents, indexedTimeline } from "./indexed";
import { useMarket } from "./MarketContext";

/**
 * What the index is asked for `address`, when the cluster has one: a job's timeline, or a provider's events.
 * Without it (or without an index) the node's transactions that touched the address are read.
 */
export type IndexedKind = "job" | "provider";

/**
 * The events of `address`, oldest first, read again after each reload of the market. From the index (when the
 * cluster has one and `kind` says what the address is) the whole history is read; from the node, the latest
 * 500 transactions that touched it, and after each reload only those since the newest one seen.
 */
export function useEvents(address: Address | null, kind?: IndexedKind): { events: TimedEvent[]; error: string | null; source: "index" | "node" } {
  const { client, version, api, cluster } = useMarket();
  const indexed = api !== null && kind !== undefined;
  const [state, setState] = useState<{ events: TimedEvent[]; error: string | null }>({ events: [], error: null });
  const newest = useRef<{ key: string; signature?: string }>({ key: "" });
  const key = `${indexed ? api.baseUrl : cluster.rpcUrl} ${address ?? ""}`;
  useEffect(() => {
    if (!address) return;
    if (newest.current.key !== key) {
      newest.current = { key };
      setState({ events: [], error: null });
    }
    let current = true;
    if (indexed) {
      (kind === "job" ? indexedTimeline(api, address) : indexedProviderEvents(api, address))
        .then((events) => current && newest.current.key === key && setState({ events, error: null }))
        .catch((e: Error) => current && setState((s) => ({ ...s, error: `cannot read the history from the index: ${e.message}` })));
      return () => {
        current = false;
      };
    }
    fetchEvents(client.rpc, address, newest.current.signature)
      .then(({ events, newest: signature }) => {
        if (!current || newest.current.key !== key) return;
        newest.current.signature = signature;
        setState((s) => ({ events: [...s.events, ...events].sort((a, b) => a.time - b.time), error: null }));
      })
      .catch((e: Error) => current && setState((s) => ({ ...s, error: `cannot read the history: ${e.message}` })));
    return () => {
      current = false;
    };
    // `version` reads what happened since, after each reload of the market.
  }, [client, key, version]); // eslint-disable-line react-hooks/exhaustive-deps
  return { ...state, source: indexed ? "index" : "node" };
}
