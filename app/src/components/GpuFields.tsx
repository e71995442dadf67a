// The GPU inputs of the forms: a provider's GPU model (its VRAM filled in from the table, and editable) and CPU
// architecture; a job's least memory per GPU, family and up to four acceptable models.
import { CPU_ARCHES, GPU_FAMILIES, GPU_MODELS, gpuFamilyOf } from "@compute-market/client";
import { defaultVram, type HardwareField, type HardwareValues, type NeedsField, type NeedsValues } from "../lib/gpuForms";
import type { Errors } from "../lib/forms";
import { Field } from "./Field";

type Option = { value: string; label: string };
const MODEL_OPTIONS: Option[] = GPU_MODELS.map((m) => ({ value: String(m.id), label: `${m.name} (${m.vramGb} GB)` }));

/** A labelled select with its error under it, like Field. */
export function Select(props: { label: string; name: string; value: string; options: Option[]; onChange(value: string): void; error?: string; none?: string }) {
  return (
    <label className={`field${props.error ? " invalid" : ""}`}>
      <span>{props.label}</span>
      <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-invalid={props.error ? true : undefined}>
        {props.none !== undefined && <option value="">{props.none}</option>}
        {props.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {props.error && <small className="error" role="alert">{props.error}</small>}
    </label>
  );
}

/** GPU model and memory (shown when GPUs are offered), and the CPU architecture. */
export function HardwareFields({ values, errors, offersGpus, onChange }: {
  values: HardwareValues; errors: Errors<HardwareField>; offersGpus: boolean; onChange(values: HardwareValues): void;
}) {
  return (
    <div className="grid4">
      {offersGpus && (
        <>
          <Select label="GPU model" name="gpuModel" value={values.gpuModel} options={MODEL_OPTIONS} none="choose…" error={errors.gpuModel}
            onChange={(gpuModel) => onChange({ ...values, gpuModel, vramGb: defaultVram(gpuModel) })} />
          <Field label="VRAM per GPU (GB)" name="vramGb" value={values.vramGb} error={errors.vramGb} onChange={(vramGb) => onChange({ ...values, vramGb })} />
        </>
      )}
      <Select label="CPU architecture" name="cpuArch" value={values.cpuArch} error={errors.cpuArch}
        options={CPU_ARCHES.map((a) => ({ value: String(a.id), label: a.name }))} onChange={(cpuArch) => onChange({ ...values, cpuArch })} />
    </div>
  );
}

/** What each GPU must be; every input optional (nothing chosen: any GPU). Models offered are the family's, once one is chosen. */
export function NeedsFields({ values, errors, onChange }: { values: NeedsValues; errors: Errors<NeedsField>; onChange(values: NeedsValues): void }) {
  const family = Number(values.gpuFamily || "0");
  const models = MODEL_OPTIONS.filter((o) => family === 0 || gpuFamilyOf(Number(o.value)) === family);
  const setModel = (i: number) => (model: string) => onChange({ ...values, gpuModels: values.gpuModels.map((m, j) => (j === i ? model : m)) });
  return (
    <fieldset data-testid="gpu-needs">
      <legend>GPU needs (optional: leave them for any GPU)</legend>
      <div className="grid4">
        <Field label="Least VRAM per GPU (GB)" name="minVramGb" value={values.minVramGb} error={errors.minVramGb} onChange={(minVramGb) => onChange({ ...values, minVramGb })} />
        <Select label="GPU family" name="gpuFamily" value={values.gpuFamily} none="any family" options={GPU_FAMILIES.map((f) => ({ value: String(f.id), label: f.name }))}
          onChange={(gpuFamily) => onChange({ ...values, gpuFamily })} />
      </div>
      <div className="grid4">
        {values.gpuModels.map((model, i) => (
          <Select key={i} label={`Acceptable model ${i + 1}`} name={`gpuModel${i + 1}`} value={model} none="any" onChange={setModel(i)}
            options={models.some((o) => o.value === model) || model === "" ? models : [...models, MODEL_OPTIONS.find((o) => o.value === model)!]} />
        ))}
      </div>
      {errors.gpuModels && <small className="error" role="alert">{errors.gpuModels}</small>}
    </fieldset>
  );
}
