// Renders a component again when a time it waits for comes (an action becomes available, or no longer is).
import { useEffect, useState } from "react";

/** Renders again when unix time `at` comes (a quarter second after, so that the clock has passed it). */
export function useRenderAt(at: number | null): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (at === null) return;
    const timer = setTimeout(() => setTick((t) => t + 1), Math.max(0, at * 1000 - Date.now()) + 250);
    return () => clearTimeout(timer);
  }, [at]);
}
