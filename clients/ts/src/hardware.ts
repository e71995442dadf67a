// A provider's hardware (register_provider, update_provider) and a job's GPU needs (post_job): the defaults, the
// program's rules on them (so a form can refuse what the program would, by name), and the check assign_job makes.
import type { GpuNeeds, Hardware } from "./generated/types";
import { gpuFamilyOf } from "./gpus";
import { LIMITS, CPU_ARCH } from "./idl";

/** Most models a job may list. */
export const MAX_NEEDED_MODELS = 4;

/** No GPU declared and the CPU architecture unknown: what a provider offering no GPU declares. */
export const NO_HARDWARE: Hardware = { gpuModel: 0, vramGb: 0, cpuArch: CPU_ARCH.unknown };

/** Any GPU: no model, family or memory asked for (what a job without GPUs must carry). */
export const ANY_GPU: GpuNeeds = { models: [0, 0, 0, 0], minVramGb: 0, family: 0 };

/** The CPU architectures a provider may declare, as people name them. */
export const CPU_ARCHES: readonly { id: number; name: string }[] = [
  { id: CPU_ARCH.unknown, name: "unknown" },
  { id: CPU_ARCH.x86_64, name: "x86-64" },
  { id: CPU_ARCH.aarch64, name: "AArch64" },
];

/** GPU needs from up to four models (the unused entries 0), a least memory per GPU and a family (0: any). */
export function gpuNeeds(needs: { models?: readonly number[]; minVramGb?: number; family?: number }): GpuNeeds {
  const models = needs.models ?? [];
  if (models.length > MAX_NEEDED_MODELS) throw new Error(`at most ${MAX_NEEDED_MODELS} GPU models`);
  return { models: [...models, 0, 0, 0, 0].slice(0, MAX_NEEDED_MODELS), minVramGb: needs.minVramGb ?? 0, family: needs.family ?? 0 };
}

/** Why register_provider or update_provider would refuse `hardware` for `gpus` GPUs (InvalidHardware), or null. */
export function hardwareProblem(gpus: number, hardware: Hardware): string | null {
  if (!CPU_ARCHES.some((a) => a.id === hardware.cpuArch)) return "an unknown CPU architecture";
  if (gpus === 0) return hardware.gpuModel === 0 && hardware.vramGb === 0 ? null : "no GPU offered, so no GPU model or memory";
  if (gpuFamilyOf(hardware.gpuModel) === 0) return "a GPU model for the GPUs offered";
  if (hardware.vramGb < 1 || hardware.vramGb > LIMITS.maxVramGb) return `GPU memory: 1 to ${LIMITS.maxVramGb} GB per GPU`;
  return null;
}

/** Why post_job would refuse `needs` for a job asking for `gpus` GPUs (InvalidGpuNeeds), or null. */
export function gpuNeedsProblem(gpus: number, needs: GpuNeeds): string | null {
  const models = Array.from(needs.models).filter((m) => m !== 0);
  if (gpus === 0) return models.length === 0 && needs.minVramGb === 0 && needs.family === 0 ? null : "GPU needs only for a job that asks for GPUs";
  if (needs.family > 0xff) return "a GPU family is one byte";
  if (needs.minVramGb > LIMITS.maxVramGb) return `GPU memory: at most ${LIMITS.maxVramGb} GB per GPU`;
  if (models.some((m) => gpuFamilyOf(m) === 0)) return "every GPU model listed needs a family";
  if (needs.family !== 0 && models.some((m) => gpuFamilyOf(m) !== needs.family)) return "the GPU models listed must be of the family asked for";
  return null;
}

/**
 * The error assign_job refuses a provider with for a job's GPU needs (GpuMemoryTooSmall, GpuModelNotAccepted), or
 * null when its GPUs suit them; a job that asks for no GPU suits every provider.
 */
export function gpuRefusal(
  job: { requirements: { gpus: number }; gpu: GpuNeeds },
  provider: { gpuModel: number; vramGb: number },
): "GpuMemoryTooSmall" | "GpuModelNotAccepted" | null {
  if (job.requirements.gpus === 0) return null;
  const needs = job.gpu;
  if (provider.vramGb < needs.minVramGb) return "GpuMemoryTooSmall";
  if (needs.family !== 0 && gpuFamilyOf(provider.gpuModel) !== needs.family) return "GpuModelNotAccepted";
  const models = Array.from(needs.models).filter((m) => m !== 0);
  if (models.length > 0 && !models.includes(provider.gpuModel)) return "GpuModelNotAccepted";
  return null;
}
