// The GPU model table against docs/GPU_MODELS.md (row for row, as clients/rust/src/gpus.rs is checked), its
// lookups and wording, and the program's hardware and GPU-needs rules as the client mirrors them, offline.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  ANY_GPU, CPU_ARCH, GPU_FAMILIES, GPU_MODELS, LIMITS, NO_HARDWARE, describeGpus, describeNeeds, gpuFamily, gpuFamilyName, gpuModel, gpuModelName,
  gpuNeeds, gpuNeedsProblem, gpuRefusal, hardwareProblem,
} from "../src";
import { repo } from "./localnet";

const doc = readFileSync(join(repo, "docs/GPU_MODELS.md"), "utf8");
/** The rows of the markdown table under `## heading`, as cells. */
function rows(heading: string): string[][] {
  const section = doc.split(/^## /m).find((s) => s.startsWith(heading));
  assert.ok(section, `docs/GPU_MODELS.md has a "## ${heading}" section`);
  return section.split("\n").filter((l) => /^\| `0x/.test(l)).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
}

describe("the GPU table", () => {
  it("is the table docs/GPU_MODELS.md lists: every model's id, name and memory, and every family", () => {
    const models = rows("Models").map(([id, name, gb]) => ({ id: parseInt(id.replace(/`/g, ""), 16), name, vramGb: Number(gb) }));
    assert.equal(models.length, 16);
    assert.deepEqual(GPU_MODELS, models);
    const families = rows("Families").map(([id, name]) => ({ id: parseInt(id.replace(/`/g, ""), 16), name }));
    assert.deepEqual(GPU_FAMILIES, families);
    for (const m of GPU_MODELS) assert.ok(GPU_FAMILIES.some((f) => f.id === m.id >> 8), `${m.name} has a family`);
  });

  it("finds models by name or hex id and families by name, and names what it does not know by id", () => {
    assert.equal(gpuModel("a100-80gb").id, 0x0202);
    assert.equal(gpuModel("0x0101").name, "H100-SXM-80GB");
    assert.throws(() => gpuModel("A100"), /^Error: unknown GPU model `A100`: one of H100-SXM-80GB,/);
    assert.equal(gpuFamily("rtx4090"), 0x04);
    assert.throws(() => gpuFamily("V100"), /unknown GPU family `V100`/);
    assert.deepEqual([gpuModelName(0x0202), gpuModelName(0x0263)], ["A100-80GB", "0x0263"]);
    assert.deepEqual([gpuFamilyName(0x02), gpuFamilyName(0x63)], ["A100", "0x63"]);
  });

  it("words a provider's GPUs and a job's needs", () => {
    assert.equal(describeGpus(4, { gpuModel: 0x0202, vramGb: 80 }), "4 x A100-80GB (80 GB)");
    assert.equal(describeGpus(1, { gpuModel: 0x0263, vramGb: 12 }), "1 x 0x0263 (12 GB)");
    assert.equal(describeGpus(0, NO_HARDWARE), "none");
    assert.equal(describeNeeds(ANY_GPU), "any");
    assert.equal(describeNeeds(gpuNeeds({ family: 0x02, minVramGb: 80 })), "A100 family, at least 80 GB");
    assert.equal(describeNeeds(gpuNeeds({ models: [0x0202, 0x0901] })), "A100-80GB or H200-141GB");
    assert.equal(describeNeeds(gpuNeeds({ minVramGb: 24 })), "at least 24 GB");
  });
});

describe("hardware and GPU needs", () => {
  it("refuse what register_provider and post_job refuse (InvalidHardware, InvalidGpuNeeds)", () => {
    assert.equal(hardwareProblem(0, NO_HARDWARE), null);
    assert.equal(hardwareProblem(2, { gpuModel: 0x0202, vramGb: 80, cpuArch: CPU_ARCH.x86_64 }), null);
    assert.equal(hardwareProblem(2, NO_HARDWARE), "a GPU model for the GPUs offered");
    assert.equal(hardwareProblem(2, { gpuModel: 0x0005, vramGb: 80, cpuArch: 0 }), "a GPU model for the GPUs offered");
    assert.equal(hardwareProblem(2, { gpuModel: 0x0202, vramGb: 0, cpuArch: 0 }), `GPU memory: 1 to ${LIMITS.maxVramGb} GB per GPU`);
    assert.equal(hardwareProblem(2, { gpuModel: 0x0202, vramGb: LIMITS.maxVramGb + 1, cpuArch: 0 }), `GPU memory: 1 to ${LIMITS.maxVramGb} GB per GPU`);
    assert.equal(hardwareProblem(0, { gpuModel: 0x0202, vramGb: 80, cpuArch: 0 }), "no GPU offered, so no GPU model or memory");
    assert.equal(hardwareProblem(0, { ...NO_HARDWARE, cpuArch: 3 }), "an unknown CPU architecture");

    assert.equal(gpuNeedsProblem(0, ANY_GPU), null);
    assert.equal(gpuNeedsProblem(0, gpuNeeds({ minVramGb: 1 })), "GPU needs only for a job that asks for GPUs");
    assert.equal(gpuNeedsProblem(1, gpuNeeds({ models: [0x0202], family: 0x02, minVramGb: 80 })), null);
    assert.equal(gpuNeedsProblem(1, gpuNeeds({ models: [0x0101], family: 0x02 })), "the GPU models listed must be of the family asked for");
    assert.equal(gpuNeedsProblem(1, gpuNeeds({ models: [0x0063] })), "every GPU model listed needs a family");
    assert.equal(gpuNeedsProblem(1, gpuNeeds({ family: 0x100 })), "a GPU family is one byte");
    assert.equal(gpuNeedsProblem(1, gpuNeeds({ minVramGb: LIMITS.maxVramGb + 1 })), `GPU memory: at most ${LIMITS.maxVramGb} GB per GPU`);
    assert.deepEqual(gpuNeeds({ models: [0x0202] }).models, [0x0202, 0, 0, 0]);
    assert.throws(() => gpuNeeds({ models: [1, 2, 3, 4, 5] }), /at most 4 GPU models/);
  });

  it("refuse a provider's GPUs as assign_job does: memory first, then family and listed models", () => {
    const job = (needs: Parameters<typeof gpuNeeds>[0], gpus = 1) => ({ requirements: { gpus }, gpu: gpuNeeds(needs) });
    const rtx4090 = { gpuModel: 0x0401, vramGb: 24 };
    const a100 = { gpuModel: 0x0202, vramGb: 80 };
    assert.equal(gpuRefusal(job({ family: 0x02, minVramGb: 80 }), rtx4090), "GpuMemoryTooSmall");
    assert.equal(gpuRefusal(job({ family: 0x02, minVramGb: 80 }), a100), null);
    assert.equal(gpuRefusal(job({ family: 0x04 }), a100), "GpuModelNotAccepted");
    assert.equal(gpuRefusal(job({ models: [0x0101, 0x0201] }), a100), "GpuModelNotAccepted");
    assert.equal(gpuRefusal(job({ models: [0x0101, 0x0202] }), a100), null);
    assert.equal(gpuRefusal(job({}), NO_HARDWARE), null);
    assert.equal(gpuRefusal(job({}, 0), { gpuModel: 0, vramGb: 0 }), null, "a job without GPUs needs nothing of them");
  });
});
