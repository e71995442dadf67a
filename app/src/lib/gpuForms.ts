// The GPU parts of the provider and job forms: the hardware a provider declares (GPU model, memory per GPU, CPU
// architecture) and what a job needs of each GPU (least memory, a family, up to four models), checked against the
// program's rules (InvalidHardware, InvalidGpuNeeds) before anything is signed. Selects hold ids in decimal; "" is none.
import {
  ANY_GPU, LIMITS, MAX_NEEDED_MODELS, NO_HARDWARE, gpuFamilyName, gpuFamilyOf, gpuModelById, gpuModelName, gpuNeedsProblem, hardwareProblem,
  type GpuNeeds, type Hardware,
} from "@compute-market/client";
import { parseCount, type Checked, type Errors } from "./forms";

export type HardwareField = "gpuModel" | "vramGb" | "cpuArch";
export type HardwareValues = Record<HardwareField, string>;

/** The form's values for a provider's stored hardware (blank for none). */
export function hardwareValues(hardware: Hardware | null): HardwareValues {
  const h = hardware ?? NO_HARDWARE;
  return { gpuModel: h.gpuModel === 0 ? "" : String(h.gpuModel), vramGb: h.vramGb === 0 ? "" : String(h.vramGb), cpuArch: String(h.cpuArch) };
}

/** The memory a model's cards have, as the VRAM field's default when the model is picked ("" for none). */
export const defaultVram = (model: string) => (model === "" ? "" : String(gpuModelById(Number(model))?.vramGb ?? ""));

/** The hardware for an offer of `gpus` GPUs: a model and 1..=MAX_VRAM_GB GB each when there are any, none otherwise. */
export function checkHardware(values: HardwareValues, gpus: number): Checked<Hardware, HardwareField> {
  const errors: Errors<HardwareField> = {};
  const cpuArch = Number(values.cpuArch || "0");
  if (gpus === 0) {
    const hardware = { ...NO_HARDWARE, cpuArch };
    const problem = hardwareProblem(0, hardware);
    return problem ? { ok: false, errors: { cpuArch: problem } } : { ok: true, value: hardware };
  }
  const gpuModel = Number(values.gpuModel || "0");
  if (gpuModel === 0) errors.gpuModel = "GPU model: pick the model of the GPUs you offer";
  let vramGb = 0;
  try {
    vramGb = parseCount(values.vramGb, "GPU memory", LIMITS.maxVramGb);
    if (vramGb === 0) errors.vramGb = `GPU memory: 1 to ${LIMITS.maxVramGb} GB per GPU`;
  } catch (e) {
    errors.vramGb = (e as Error).message;
  }
  const hardware = { gpuModel, vramGb, cpuArch };
  if (Object.keys(errors).length === 0) {
    const problem = hardwareProblem(gpus, hardware);
    if (problem) errors.cpuArch = problem;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: hardware };
}

export type NeedsField = "minVramGb" | "gpuFamily" | "gpuModels";
export interface NeedsValues {
  minVramGb: string;
  /** A family id, "" for any. */
  gpuFamily: string;
  /** MAX_NEEDED_MODELS model ids, "" where none is picked. */
  gpuModels: string[];
}

export const NO_NEEDS: NeedsValues = { minVramGb: "", gpuFamily: "", gpuModels: Array(MAX_NEEDED_MODELS).fill("") };

/** A job's GPU needs for `gpus` GPUs: any for a job without GPUs; else a least memory, a family and models of it. */
export function checkNeeds(values: NeedsValues, gpus: number): Checked<GpuNeeds, NeedsField> {
  if (gpus === 0) return { ok: true, value: ANY_GPU };
  const errors: Errors<NeedsField> = {};
  let minVramGb = 0;
  try {
    minVramGb = parseCount(values.minVramGb, "least GPU memory", LIMITS.maxVramGb);
  } catch (e) {
    errors.minVramGb = (e as Error).message;
  }
  const family = Number(values.gpuFamily || "0");
  const picked = values.gpuModels.filter((m) => m !== "").map(Number);
  const models = [...new Set(picked)];
  const foreign = models.filter((m) => family !== 0 && gpuFamilyOf(m) !== family);
  if (foreign.length > 0) errors.gpuModels = `${foreign.map(gpuModelName).join(", ")}: not of the ${gpuFamilyName(family)} family`;
  const needs = { models: [...models, 0, 0, 0, 0].slice(0, MAX_NEEDED_MODELS), minVramGb, family };
  if (Object.keys(errors).length === 0) {
    const problem = gpuNeedsProblem(gpus, needs);
    if (problem) errors.gpuModels = problem;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value: needs };
}
