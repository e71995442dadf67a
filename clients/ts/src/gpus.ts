// The table of GPU models a provider declares and a job asks for, as docs/GPU_MODELS.md lists it (a test keeps the
// two in step, as clients/rust/src/gpus.rs is kept). A model id is its family in the high byte and its variant in
// the low one; the program checks only that structure, so a new model is a new row here, never a program upgrade.

export interface GpuModel {
  id: number;
  /** How people and the CLI name it, e.g. `A100-80GB`. */
  name: string;
  /** GB of memory on each card. */
  vramGb: number;
}

export interface GpuFamily {
  id: number;
  name: string;
}

export const GPU_FAMILIES: readonly GpuFamily[] = [
  { id: 0x01, name: "H100" },
  { id: 0x02, name: "A100" },
  { id: 0x03, name: "L40" },
  { id: 0x04, name: "RTX4090" },
  { id: 0x05, name: "RTX3090" },
  { id: 0x06, name: "A10" },
  { id: 0x07, name: "T4" },
  { id: 0x08, name: "L4" },
  { id: 0x09, name: "H200" },
  { id: 0x0a, name: "RTXA6000" },
  { id: 0x0b, name: "B200" },
  { id: 0x0c, name: "RTX5090" },
];

export const GPU_MODELS: readonly GpuModel[] = [
  { id: 0x0101, name: "H100-SXM-80GB", vramGb: 80 },
  { id: 0x0102, name: "H100-PCIE-80GB", vramGb: 80 },
  { id: 0x0103, name: "H100-NVL-94GB", vramGb: 94 },
  { id: 0x0201, name: "A100-40GB", vramGb: 40 },
  { id: 0x0202, name: "A100-80GB", vramGb: 80 },
  { id: 0x0301, name: "L40S-48GB", vramGb: 48 },
  { id: 0x0302, name: "L40-48GB", vramGb: 48 },
  { id: 0x0401, name: "RTX4090-24GB", vramGb: 24 },
  { id: 0x0501, name: "RTX3090-24GB", vramGb: 24 },
  { id: 0x0601, name: "A10-24GB", vramGb: 24 },
  { id: 0x0701, name: "T4-16GB", vramGb: 16 },
  { id: 0x0801, name: "L4-24GB", vramGb: 24 },
  { id: 0x0901, name: "H200-141GB", vramGb: 141 },
  { id: 0x0a01, name: "RTXA6000-48GB", vramGb: 48 },
  { id: 0x0b01, name: "B200-180GB", vramGb: 180 },
  { id: 0x0c01, name: "RTX5090-32GB", vramGb: 32 },
];

/** The family of a model id: its high byte. */
export const gpuFamilyOf = (model: number): number => model >> 8;

const hex = (value: number, digits: number) => `0x${value.toString(16).padStart(digits, "0")}`;

export function gpuModelById(id: number): GpuModel | undefined {
  return GPU_MODELS.find((m) => m.id === id);
}

/** A model by its name (any case) or its id in hex (`0x0202`); throws naming the known ones. */
export function gpuModel(text: string): GpuModel {
  const trimmed = text.trim();
  const byId = /^0x[0-9a-f]{1,4}$/i.test(trimmed) ? parseInt(trimmed.slice(2), 16) : undefined;
  const found = GPU_MODELS.find((m) => m.id === byId || m.name.toLowerCase() === trimmed.toLowerCase());
  if (!found) throw new Error(`unknown GPU model \`${trimmed}\`: one of ${GPU_MODELS.map((m) => m.name).join(", ")}`);
  return found;
}

/** A family's id by its name (any case); throws naming the known ones. */
export function gpuFamily(text: string): number {
  const found = GPU_FAMILIES.find((f) => f.name.toLowerCase() === text.trim().toLowerCase());
  if (!found) throw new Error(`unknown GPU family \`${text.trim()}\`: one of ${GPU_FAMILIES.map((f) => f.name).join(", ")}`);
  return found.id;
}

/** How a model id reads: its name, or its id in hex when the table does not know it. */
export const gpuModelName = (id: number): string => gpuModelById(id)?.name ?? hex(id, 4);

/** How a family reads: its name, or its id in hex when the table does not know it. */
export const gpuFamilyName = (family: number): string => GPU_FAMILIES.find((f) => f.id === family)?.name ?? hex(family, 2);

/** A provider's GPUs as people read them: "4 x A100-80GB (80 GB)"; "none" without GPUs. */
export function describeGpus(count: number, hardware: { gpuModel: number; vramGb: number }): string {
  if (count === 0) return "none";
  const model = hardware.gpuModel === 0 ? "GPU" : gpuModelName(hardware.gpuModel);
  return `${count} x ${model}${hardware.vramGb > 0 ? ` (${hardware.vramGb} GB)` : ""}`;
}

/** A job's GPU needs as people read them: "A100 family, at least 80 GB", "A100-80GB or H200-141GB", "any". */
export function describeNeeds(needs: { models: ArrayLike<number>; minVramGb: number; family: number }): string {
  const models = Array.from(needs.models).filter((m) => m !== 0).map(gpuModelName);
  const parts = [
    models.length > 0 ? models.join(" or ") : needs.family !== 0 ? `${gpuFamilyName(needs.family)} family` : "",
    needs.minVramGb > 0 ? `at least ${needs.minVramGb} GB` : "",
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(", ") : "any";
}
