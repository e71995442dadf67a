import { ANY_GPU, gpuNeeds } from "@compute-market/client";
import { describe, expect, it } from "vitest";
import { needs } from "./JobTable";

describe("a job's needs in the lists", () => {
  it("say what each GPU must be, or any", () => {
    const requirements = { cpuCores: 2, ramGb: 16, storageGb: 0, gpus: 1 };
    expect(needs({ requirements, gpu: gpuNeeds({ family: 0x02, minVramGb: 80 }) })).toBe("2 cores · 16 GB RAM · 1 GPU (A100 family, at least 80 GB)");
    expect(needs({ requirements: { ...requirements, gpus: 4 }, gpu: ANY_GPU })).toBe("2 cores · 16 GB RAM · 4 GPU (any)");
    expect(needs({ requirements: { ...requirements, gpus: 0 }, gpu: ANY_GPU })).toBe("2 cores · 16 GB RAM");
  });
});
