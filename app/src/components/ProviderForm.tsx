// The provider's offer: capacity, its GPUs' model and memory and its CPU architecture, hourly rates, where its
// agent serves results, and who may assign it jobs.
// Registers a new provider (or reopens a retired one) or updates the wallet's own; nothing is signed until
// every field passes the program's rules.
import { uriText, type Provider, type Rates } from "@compute-market/client";
import { useState } from "react";
import { OPEN_TO_ALL, assignmentChoice, assignmentFlags, type AssignmentChoice } from "../lib/assignment";
import { formatSol } from "../lib/format";
import { checkProvider, parseCount, type Errors, type ProviderField, type ProviderValues } from "../lib/forms";
import { checkHardware, hardwareValues, type HardwareField, type HardwareValues } from "../lib/gpuForms";
import { useMarket } from "../market/MarketContext";
import type { useTransaction } from "../tx/useTransaction";
import { Field } from "./Field";
import { HardwareFields } from "./GpuFields";

const sol = (v: Rates[keyof Rates]) => (v === 0n ? "" : formatSol(v, ""));
const blank = (n: number) => (n === 0 ? "" : String(n));

function valuesOf(p: Provider | null): ProviderValues {
  if (!p) return { cores: "", ramGb: "", storageGb: "", gpus: "", perCore: "", perGbRam: "", perGbStorage: "", perGpu: "", metadataUri: "" };
  return {
    cores: blank(p.capacity.cpuCores), ramGb: blank(p.capacity.ramGb), storageGb: blank(p.capacity.storageGb), gpus: blank(p.capacity.gpus),
    perCore: sol(p.rates.perCore), perGbRam: sol(p.rates.perGbRam), perGbStorage: sol(p.rates.perGbStorage), perGpu: sol(p.rates.perGpu),
    metadataUri: uriText(p.metadataUri),
  };
}

/** The form; its transactions go through the screen's `transaction`, whose status outlives the form. */
export function ProviderForm({ existing, transaction }: { existing: Provider | null; transaction: ReturnType<typeof useTransaction> }) {
  const { client } = useMarket();
  const { run, busy } = transaction;
  const [values, setValues] = useState<ProviderValues>(() => valuesOf(existing));
  const [assignment, setAssignment] = useState<AssignmentChoice>(() => (existing ? assignmentChoice(existing.assignment) : OPEN_TO_ALL));
  const [hardware, setHardware] = useState<HardwareValues>(() => hardwareValues(existing));
  const [errors, setErrors] = useState<Errors<ProviderField | HardwareField>>({});
  const set = (field: ProviderField) => (value: string) => setValues({ ...values, [field]: value });
  const field = (name: ProviderField, label: string, placeholder?: string) => (
    <Field label={label} name={name} value={values[name]} onChange={set(name)} error={errors[name]} placeholder={placeholder} />
  );
  // A retired provider registers again into its record; a current one updates.
  const updating = existing !== null && existing.retired === 0;

  let gpus = 0;
  try {
    gpus = parseCount(values.gpus, "GPUs", Number.MAX_SAFE_INTEGER);
  } catch {
    // The offer's check names it.
  }

  const submit = () => {
    const checked = checkProvider(values);
    const declared = checkHardware(hardware, checked.ok ? checked.value.capacity.gpus : gpus);
    if (!checked.ok || !declared.ok) return setErrors({ ...(checked.ok ? {} : checked.errors), ...(declared.ok ? {} : declared.errors) });
    setErrors({});
    const { capacity, rates, metadataUri } = checked.value;
    const flags = assignmentFlags(assignment);
    const hw = declared.value;
    if (updating) void run("Update provider", async () => [await client.updateProvider({ capacity, rates, metadataUri, assignment: flags, hardware: hw })]);
    else void run("Register provider", async () => [await client.registerProvider(capacity, rates, metadataUri, flags, hw)]);
  };

  return (
    <form className="card" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h3>{updating ? "Update your offer" : existing ? "Return to the market" : "Register as a provider"}</h3>
      <div className="grid4">
        {field("cores", "CPU cores")}
        {field("ramGb", "RAM (GB)")}
        {field("storageGb", "Storage (GB)")}
        {field("gpus", "GPUs")}
        {field("perCore", "SOL per core-hour", "0.001")}
        {field("perGbRam", "SOL per GB RAM-hour", "0.0001")}
        {field("perGbStorage", "SOL per GB storage-hour")}
        {field("perGpu", "SOL per GPU-hour")}
      </div>
      <HardwareFields values={hardware} errors={errors} offersGpus={gpus > 0} onChange={setHardware} />
      {field("metadataUri", "Metadata URI (your agent's address, where results are served)", "http://your-host:8911")}
      <fieldset>
        <legend>Who may assign you jobs (you can always accept a job yourself)</legend>
        <label className="check">
          <input type="checkbox" name="assignByClients" checked={assignment.byClients} onChange={(e) => setAssignment({ ...assignment, byClients: e.target.checked })} />
          {" "}clients, at your published rates
        </label>
        <label className="check">
          <input type="checkbox" name="assignByMatcher" checked={assignment.byMatcher} onChange={(e) => setAssignment({ ...assignment, byMatcher: e.target.checked })} />
          {" "}the market's matcher
        </label>
      </fieldset>
      <button type="submit" name={updating ? "update-provider" : "register-provider"} disabled={busy}>{updating ? "Update" : existing ? "Register again" : "Register"}</button>
    </form>
  );
}
