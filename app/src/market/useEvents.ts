import type { PublicKey } from "@solana/web3.js";
import { useEffect, useRef, useState } from "react";
import { fetchEvents, type TimedEvent } from "./history";
import { useMarket } from "./MarketContext";

/**
 * The events of the transactions that touched `address`; after each reload of the market only the
 * transactions since the newest one seen are read, and their events appended.
 */
export function useEvents(address: PublicKey | null): { events: TimedEvent[]; error: string | null } {
  const { client, version } = useMarket();
  const [state, setState] = useState<{ events: TimedEvent[]; error: string | null }>({ events: [], error: null });
  const newest = useRef<{ key: string; signature?: string }>({ key: "" });
  const key = `${client.connection.rpcEndpoint} ${address?.toBase58() ?? ""}`;
  useEffect(() => {
    if (!address) return;
    if (newest.current.key !== key) {
      newest.current = { key };
      setState({ events: [], error: null });
    }
    let current = true;
    fetchEvents(client.connection, address, newest.current.signature)
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
  return state;
}
