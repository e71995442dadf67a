import { useMarket } from "../market/MarketContext";

/** Without an index, a line saying what that leaves out (lists from the node, recent history only). */
export function SourceNote() {
  const { note } = useMarket();
  return note ? <p className="note" data-testid="no-index">{note}</p> : null;
}
