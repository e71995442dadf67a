import { describe, expect, it } from "vitest";
import { NO_NEEDS, checkHardware, checkNeeds, defaultVram, hardwareValues } from "./gpuForms";

const a100 = { gpuModel: String(0x0202), vramGb: "80", cpuArch: "1" };

describe("provider hardware", () => {
  it("declares a model and its memory for GPUs offered, nothing but the CPU architecture otherwise", () => {
    expect(checkHardware(a100, 4)).toEqual({ ok: true, value: { gpuModel: 0x0202, vramGb: 80, cpuArch: 1 } });
    expect(checkHardware(a100, 0)).toEqual({ ok: true, value: { gpuModel: 0, vramGb: 0, cpuArch: 1 } });
    expect(defaultVram(String(0x0901))).toBe("141");
    expect(defaultVram("")).toBe("");
    expect(hardwareValues({ gpuModel: 0x0401, vramGb: 24, cpuArch: 2 })).toEqual({ gpuModel: String(0x0401), vramGb: "24", cpuArch: "2" });
    expect(hardwareValues(null)).toEqual({ gpuModel: "", vramGb: "", cpuArch: "0" });
  });

  it("refuses by field what register_provider would refuse as InvalidHardware", () => {
    expect(checkHardware({ ...a100, gpuModel: "" }, 1)).toEqual({ ok: false, errors: { gpuModel: "GPU model: pick the model of the GPUs you offer" } });
    expect(checkHardware({ ...a100, vramGb: "0" }, 1)).toEqual({ ok: false, errors: { vramGb: "GPU memory: 1 to 4096 GB per GPU" } });
    expect(checkHardware({ ...a100, vramGb: "80.5" }, 1)).toEqual({ ok: false, errors: { vramGb: "GPU memory: a whole number" } });
    expect(checkHardware({ ...a100, vramGb: "4097" }, 1)).toEqual({ ok: false, errors: { vramGb: "GPU memory: at most 4096" } });
    expect(checkHardware({ ...a100, cpuArch: "7" }, 0)).toEqual({ ok: false, errors: { cpuArch: "an unknown CPU architecture" } });
  });
});

describe("job GPU needs", () => {
  it("are any for a job without GPUs, and what was chosen otherwise", () => {
    expect(checkNeeds({ ...NO_NEEDS, minVramGb: "80" }, 0)).toEqual({ ok: true, value: { models: [0, 0, 0, 0], minVramGb: 0, family: 0 } });
    expect(checkNeeds(NO_NEEDS, 2)).toEqual({ ok: true, value: { models: [0, 0, 0, 0], minVramGb: 0, family: 0 } });
    const chosen = checkNeeds({ minVramGb: "40", gpuFamily: "2", gpuModels: ["", String(0x0202), String(0x0201), String(0x0202)] }, 1);
    expect(chosen).toEqual({ ok: true, value: { models: [0x0202, 0x0201, 0, 0], minVramGb: 40, family: 2 } });
  });

  it("refuse by name models of another family, and memory beyond the program's bound", () => {
    expect(checkNeeds({ ...NO_NEEDS, gpuFamily: "2", gpuModels: [String(0x0101), "", "", ""] }, 1))
      .toEqual({ ok: false, errors: { gpuModels: "H100-SXM-80GB: not of the A100 family" } });
    expect(checkNeeds({ ...NO_NEEDS, minVramGb: "5000" }, 1)).toEqual({ ok: false, errors: { minVramGb: "least GPU memory: at most 4096" } });
    expect(checkNeeds({ ...NO_NEEDS, minVramGb: "lots" }, 1)).toEqual({ ok: false, errors: { minVramGb: "least GPU memory: a whole number" } });
  });
});
