import { useState } from "react";
import { checkRpcUrl, type ClusterChoice, type ClusterName } from "../lib/cluster";

/** Localnet, devnet, or a custom JSON-RPC URL (with the matcher that explains its open jobs and the index's API). */
export function ClusterSwitch({ choice, onChange }: { choice: ClusterChoice; onChange(choice: ClusterChoice): void }) {
  const [draft, setDraft] = useState(choice);
  const [error, setError] = useState<string | null>(null);
  const pick = (name: ClusterName) => {
    const next = { ...draft, name };
    setDraft(next);
    if (name !== "custom") onChange(next);
  };
  const apply = () => {
    const problem = checkRpcUrl(draft.customRpc.trim());
    const matcherProblem = draft.customMatcher.trim() && checkRpcUrl(draft.customMatcher.trim());
    const api = (draft.customApi ?? "").trim();
    const apiProblem = api && checkRpcUrl(api);
    setError(problem ?? (matcherProblem ? `matcher: ${matcherProblem}` : apiProblem ? `index API: ${apiProblem}` : null));
    if (!problem && !matcherProblem && !apiProblem) {
      onChange({ ...draft, customRpc: draft.customRpc.trim(), customMatcher: draft.customMatcher.trim(), ...(api ? { customApi: api } : { customApi: undefined }) });
    }
  };
  return (
    <div className="cluster">
      <select name="cluster" value={draft.name} onChange={(e) => pick(e.target.value as ClusterName)}>
        <option value="localnet">localnet</option>
        <option value="devnet">devnet</option>
        <option value="custom">custom URL</option>
      </select>
      {draft.name === "custom" && (
        <form onSubmit={(e) => { e.preventDefault(); apply(); }}>
          <input name="customRpc" placeholder="http://host:8899" value={draft.customRpc} onChange={(e) => setDraft({ ...draft, customRpc: e.target.value })} />
          <input name="customMatcher" placeholder="matcher (optional)" value={draft.customMatcher} onChange={(e) => setDraft({ ...draft, customMatcher: e.target.value })} />
          <input name="customApi" placeholder="index API (optional)" value={draft.customApi ?? ""} onChange={(e) => setDraft({ ...draft, customApi: e.target.value })} />
          <button type="submit">Use</button>
          {error && <small className="error" role="alert">{error}</small>}
        </form>
      )}
    </div>
  );
}
