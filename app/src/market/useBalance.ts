// What the connected wallet holds in a currency: lamports for SOL, else its tokens of the mint (over all its
// token accounts), read again after each reload of the market.
import type { Address } from "@solana/kit";
import { useEffect, useState } from "react";
import { isSol, type Currency } from "../lib/currency";
import { useMarket } from "./MarketContext";

export function useBalance(currency: Currency): { amount: bigint | null; error: string | null } {
  const { client, me, version } = useMarket();
  const [state, setState] = useState<{ key: string; amount: bigint | null; error: string | null }>({ key: "", amount: null, error: null });
  const key = `${me ?? ""} ${currency.mint}`;
  useEffect(() => {
    if (!me) return;
    let current = true;
    const read = isSol(currency.mint)
      ? client.rpc.getBalance(me, { commitment: "confirmed" }).send().then((r): bigint => r.value)
      : client.tokenBalance(me, currency.mint as Address);
    read.then(
      (amount) => current && setState({ key, amount, error: null }),
      (e: Error) => current && setState({ key, amount: null, error: `cannot read your balance: ${e.message}` }),
    );
    return () => {
      current = false;
    };
  }, [client, key, version]); // eslint-disable-line react-hooks/exhaustive-deps
  return state.key === key ? { amount: state.amount, error: state.error } : { amount: null, error: null };
}
