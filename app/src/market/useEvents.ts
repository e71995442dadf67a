import type { PublicKey } from "@solana/web3.js";
import { useEffect, useState } from "react";
import { fetchEvents, type TimedEvent } from "./history";
import { useMarket } from "./MarketContext";

/** The events of the transactions that touched `address`, read again whenever the market reloads. */
export function useEvents(address: PublicKey | null): { events: TimedEvent[]; error: string | null } {
  const { client, version } = useMarket();
  const [state, setState] = useState<{ events: TimedEvent[]; error: string | null }>({ events: [], error: null });
  const key = address?.toBase58() ?? "";
  useEffect(() => {
    if (!address) return;
    let current = true;
    fetchEvents(client.connection, address)
      .then((events) => current && setState({ events, error: null }))
      .catch((e: Error) => current && setState((s) => ({ ...s, error: `cannot read the history: ${e.message}` })));
    return () => {
      current = false;
    };
    // `version` re-reads after each reload of the market.
  }, [client, key, version]); // eslint-disable-line react-hooks/exhaustive-deps
  return state;
}
