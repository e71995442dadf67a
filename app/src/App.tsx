// The dApp's shell: the cluster, the wallet (any Wallet Standard wallet, Phantom among them), the market
// data for every screen, and navigation by the page's hash.
import { useEffect, useMemo, useState } from "react";
import { ClusterSwitch } from "./components/ClusterSwitch";
import { SourceNote } from "./components/SourceNote";
import { fetchServedConfig, loadChoice, resolveCluster, saveChoice, type ClusterChoice, type ServedConfig } from "./lib/cluster";
import { href, parseRoute, type Route } from "./lib/routes";
import { MarketProvider, useMarket } from "./market/MarketContext";
import { JobDetailScreen } from "./screens/JobDetailScreen";
import { MarketScreen } from "./screens/MarketScreen";
import { MyJobsScreen } from "./screens/MyJobsScreen";
import { MyProviderScreen } from "./screens/MyProviderScreen";
import { PostJobScreen } from "./screens/PostJobScreen";
import { ProvidersScreen } from "./screens/ProvidersScreen";
import { ActivityScreen } from "./screens/ActivityScreen";
import { clusterChain } from "./wallet/chain";
import { WalletButton } from "./wallet/WalletButton";
import { WalletProvider } from "./wallet/WalletProvider";

const NAV: { route: Route; label: string }[] = [
  { route: { screen: "market" }, label: "Market" },
  { route: { screen: "providers" }, label: "Providers" },
  { route: { screen: "provider" }, label: "My provider" },
  { route: { screen: "post" }, label: "Post a job" },
  { route: { screen: "jobs" }, label: "My jobs" },
  { route: { screen: "activity" }, label: "My activity" },
];

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

function Screen({ route }: { route: Route }) {
  const { market, error, loading } = useMarket();
  if (!market) return <p className={error ? "error" : "muted"} data-testid="market-state">{error ?? (loading ? "Loading the market…" : "")}</p>;
  switch (route.screen) {
    case "market":
      return <MarketScreen />;
    case "providers":
      return <ProvidersScreen />;
    case "provider":
      return <MyProviderScreen />;
    case "post":
      return <PostJobScreen />;
    case "jobs":
      return <MyJobsScreen />;
    case "activity":
      return <ActivityScreen />;
    case "job":
      return <JobDetailScreen address={route.address} />;
  }
}

export function App() {
  const [choice, setChoice] = useState<ClusterChoice>(() => loadChoice(localStorage, window.location.search));
  const [served, setServed] = useState<ServedConfig | null | undefined>(undefined);
  useEffect(() => void fetchServedConfig().then(setServed), []);
  const cluster = useMemo(() => resolveCluster(choice, served ?? null), [choice, served]);
  const route = useHashRoute();
  const change = (next: ClusterChoice) => {
    saveChoice(localStorage, next);
    setChoice(next);
  };
  if (served === undefined) return null;
  return (
    <WalletProvider chain={clusterChain(cluster.name, cluster.rpcUrl)}>
      <MarketProvider key={cluster.rpcUrl} cluster={cluster}>
        <header>
          <h1>compute_market</h1>
          <nav>
            {NAV.map(({ route: r, label }) => (
              <a key={label} href={href(r)} className={route.screen === r.screen || (r.screen === "jobs" && route.screen === "job") ? "current" : ""}>{label}</a>
            ))}
          </nav>
          <ClusterSwitch choice={choice} onChange={change} />
          <WalletButton />
        </header>
        <main>
          <SourceNote />
          <Screen route={route} />
        </main>
        <footer className="muted">
          {cluster.name}: {cluster.rpcUrl}{cluster.matcherUrl && ` · matcher ${cluster.matcherUrl}`}
          {cluster.apiUrl ? ` · index ${cluster.apiUrl}` : " · no index"}
        </footer>
      </MarketProvider>
    </WalletProvider>
  );
}
