// Providers: every provider, filtered as listProviders filters (free capacity, GPU memory and family, price of the
// minimums, reputation), with its GPUs, its rates in SOL, its quotes in the market's tokens and its bond in SOL.
import { CPU_ARCHES, GPU_FAMILIES, LAMPORT_MINT, bondFree, describeGpus, hourlyPrice, providerMatches, providerStats, wanted } from "@compute-market/client";
import { useState } from "react";
import { Field } from "../components/Field";
import { Select } from "../components/GpuFields";
import { describeAssignment } from "../lib/assignment";
import { formatIn } from "../lib/currency";
import { formatBps, formatSol, formatUnits, shortAddress } from "../lib/format";
import { NO_FILTER, toFilter, type FilterField, type FilterValues } from "../lib/providerFilter";
import { bondIn } from "../market/assign";
import { useMarket } from "../market/MarketContext";

const resources = (r: { cpuCores: number; ramGb: number; storageGb: number; gpus: number }) =>
  `${r.cpuCores} cores · ${r.ramGb} GB RAM · ${r.storageGb} GB disk · ${r.gpus} GPU`;
const arch = (id: number) => CPU_ARCHES.find((a) => a.id === id)?.name ?? "unknown";

export function ProvidersScreen() {
  const { providers, jobs, quotes, bonds, currency } = useMarket();
  const [values, setValues] = useState<FilterValues>(NO_FILTER);
  const [activeOnly, setActiveOnly] = useState(true);
  const { filter, errors } = toFilter(values, activeOnly);
  const shown = Object.keys(errors).length > 0 ? [] : providers.filter((p) => providerMatches(filter, p.account));
  const set = (field: FilterField) => (value: string) => setValues({ ...values, [field]: value });
  return (
    <section>
      <h2>Providers</h2>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <Field label="free cores ≥" name="minCores" value={values.minCores} onChange={set("minCores")} error={errors.minCores} />
        <Field label="free RAM GB ≥" name="minRamGb" value={values.minRamGb} onChange={set("minRamGb")} error={errors.minRamGb} />
        <Field label="free storage GB ≥" name="minStorageGb" value={values.minStorageGb} onChange={set("minStorageGb")} error={errors.minStorageGb} />
        <Field label="free GPUs ≥" name="minGpus" value={values.minGpus} onChange={set("minGpus")} error={errors.minGpus} />
        <Field label="VRAM per GPU GB ≥" name="minVramGb" value={values.minVramGb} onChange={set("minVramGb")} error={errors.minVramGb} />
        <Select label="GPU family" name="gpuFamily" value={values.gpuFamily} none="any" options={GPU_FAMILIES.map((f) => ({ value: String(f.id), label: f.name }))} onChange={set("gpuFamily")} />
        <Field label="price ≤ (SOL/h for these)" name="maxPrice" value={values.maxPrice} onChange={set("maxPrice")} error={errors.maxPrice} />
        <Field label="reputation ≥ (%)" name="minReputation" value={values.minReputation} onChange={set("minReputation")} error={errors.minReputation} />
        <label className="check"><input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} /> accepting jobs only</label>
      </form>
      <table className="providers">
        <thead>
          <tr><th>Provider</th><th>GPUs</th><th>CPU</th><th>Capacity</th><th>Free</th><th>Rates per hour (core · GB RAM · GB disk · GPU)</th><th>Price for the filter</th><th>Token quotes (per hour, for the filter)</th><th>Bond in SOL (free)</th><th>Reputation</th><th>Completion</th><th>Clients served</th><th>Jobs now</th><th>Assigned by</th><th>Status</th></tr>
        </thead>
        <tbody>
          {shown.map(({ address, account: p }) => {
            const stats = providerStats(p, jobs);
            const bond = bondIn(bonds, p.authority, LAMPORT_MINT);
            return (
              <tr key={address} data-provider={p.authority}>
                <td className="mono" title={p.authority}>{shortAddress(p.authority)}</td>
                <td data-cell="gpus">{describeGpus(p.capacity.gpus, p)}</td>
                <td>{arch(p.cpuArch)}</td>
                <td>{resources(p.capacity)}</td>
                <td>{resources(p.free)}</td>
                <td>{[p.rates.perCore, p.rates.perGbRam, p.rates.perGbStorage, p.rates.perGpu].map((r) => formatSol(r, "")).join(" · ")} SOL</td>
                <td>{formatSol(hourlyPrice(p.rates, wanted(filter)))}</td>
                <td data-cell="quotes">
                  {quotes.filter((q) => q.account.provider === p.authority).map((q) => {
                    const c = currency(q.account.mint);
                    const r = q.account.rates;
                    return (
                      <div key={q.address} data-quote={q.account.mint} title={`core · GB RAM · GB disk · GPU: ${[r.perCore, r.perGbRam, r.perGbStorage, r.perGpu].map((v) => formatUnits(v, c.decimals)).join(" · ")} ${c.symbol}`}>
                        {formatIn(c, hourlyPrice(r, wanted(filter)))}
                      </div>
                    );
                  })}
                </td>
                <td data-cell="bond">{bond ? `${formatSol(bond.held)} (${formatSol(bondFree(bond), "")} free)` : "none"}</td>
                <td>{formatBps(p.reputation)}</td>
                <td>{formatBps(stats.completionRateBps)}</td>
                <td>{p.counterparties.toString()}</td>
                <td>{p.activeJobs}</td>
                <td>{describeAssignment(p.assignment)}</td>
                <td>{p.retired ? "retired" : p.active ? "accepting" : "paused"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted">{shown.length} of {providers.length} providers.</p>
    </section>
  );
}
