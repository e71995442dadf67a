// The dApp's screens, addressed by the page's hash so that links and the back button work on any host.

export type Route =
  | { screen: "market" }
  | { screen: "providers" }
  | { screen: "provider" }
  | { screen: "post" }
  | { screen: "jobs" }
  | { screen: "activity" }
  | { screen: "job"; address: string };

export function parseRoute(hash: string): Route {
  const [screen, address] = hash.replace(/^#\/?/, "").split("/");
  switch (screen) {
    case "providers":
    case "provider":
    case "post":
    case "activity":
      return { screen };
    case "jobs":
      return address ? { screen: "job", address } : { screen: "jobs" };
    default:
      return { screen: "market" };
  }
}

export const href = (route: Route) => (route.screen === "job" ? `#/jobs/${route.address}` : `#/${route.screen}`);
