// GPU identity on the node: a provider declares its GPUs' model and memory (and must, to offer GPUs), a job asks for
// a family, a least memory or listed models, and assign_job refuses a provider whose GPUs do not suit them by name.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KeyPairSigner } from "@solana/kit";
import {
  ASSIGN_BY_CLIENTS, CPU_ARCH, JobStatus, gpuModel, gpuNeeds, gpuRefusal, hourlyPrice, jobPda, type GpuNeeds, type MarketClient, type Provider,
} from "../src";
import { startNode, type Node } from "./localnet";
import { clientFor, rates, refusedAs, terms } from "./fixtures";

let node: Node;
before(async () => {
  node = await startNode();
});
after(() => node.stop());

const RATES = rates(1_000_000, 10_000, 5_000_000);
const CAPACITY = { cpuCores: 8, ramGb: 32, storageGb: 0, gpus: 4 };
const REQUIREMENTS = { cpuCores: 1, ramGb: 4, storageGb: 0, gpus: 1 };
const PRICE = hourlyPrice(RATES, REQUIREMENTS);

async function gpuProvider(model: string, cpuArch: number): Promise<{ key: KeyPairSigner; client: MarketClient }> {
  const key = await node.fund(5);
  const client = clientFor(node, key);
  const { id, vramGb } = gpuModel(model);
  await client.send([await client.registerProvider(CAPACITY, RATES, "http://gpu.example", ASSIGN_BY_CLIENTS, { gpuModel: id, vramGb, cpuArch })]);
  return { key, client };
}

describe("GPU identity", () => {
  it("stores a provider's hardware and refuses GPUs offered without a model", async () => {
    const key = await node.fund(5);
    const anonymous = clientFor(node, key);
    await refusedAs(anonymous.send([await anonymous.registerProvider(CAPACITY, RATES, "http://gpu.example", ASSIGN_BY_CLIENTS)]), "InvalidHardware");
    await refusedAs(anonymous.send([await anonymous.registerProvider(CAPACITY, RATES, "http://gpu.example", ASSIGN_BY_CLIENTS, { gpuModel: 0x0202, vramGb: 4097, cpuArch: 0 })]), "InvalidHardware");

    const p = await gpuProvider("RTX4090-24GB", CPU_ARCH.x86_64);
    const stored = await p.client.getProvider(p.key.address);
    assert.deepEqual([stored.gpuModel, stored.vramGb, stored.cpuArch], [0x0401, 24, CPU_ARCH.x86_64]);
    // Updating the hardware alone keeps the rest; a model without a family is refused.
    await p.client.send([await p.client.updateProvider({ hardware: { gpuModel: 0x0401, vramGb: 48, cpuArch: CPU_ARCH.aarch64 } })]);
    const updated = await p.client.getProvider(p.key.address);
    assert.deepEqual([updated.gpuModel, updated.vramGb, updated.cpuArch, updated.capacity.gpus], [0x0401, 48, CPU_ARCH.aarch64, 4]);
    await refusedAs(p.client.send([await p.client.updateProvider({ hardware: { gpuModel: 0x0063, vramGb: 24, cpuArch: 0 } })]), "InvalidHardware");
  });

  it("refuses GPU needs on a job without GPUs, and assigns only a provider whose GPUs suit the job", async () => {
    const rtx = await gpuProvider("RTX4090-24GB", CPU_ARCH.x86_64);
    const a100 = await gpuProvider("A100-80GB", CPU_ARCH.x86_64);
    const clientKey = await node.fund(5);
    const client = clientFor(node, clientKey);
    const needs: GpuNeeds[] = [gpuNeeds({ family: 0x02, minVramGb: 80 }), gpuNeeds({ models: [0x0101, 0x0201] }), gpuNeeds({ family: 0x04 })];
    const post = (id: number, gpu: GpuNeeds) => client.postJob(id, { ...terms(1, 100_000_000), requirements: REQUIREMENTS, gpu });
    await client.send([await client.registerClient()]);
    await refusedAs(client.send([await client.postJob(0, { ...terms(1, 100_000_000), gpu: gpuNeeds({ minVramGb: 8 }) })]), "InvalidGpuNeeds");
    await refusedAs(client.send([await post(0, gpuNeeds({ models: [0x0101], family: 0x02 }))]), "InvalidGpuNeeds");
    await client.send(await Promise.all(needs.map((gpu, id) => post(id, gpu))));
    const jobs = await Promise.all(needs.map(async (_, id) => (await jobPda(clientKey.address, id))[0]));
    assert.deepEqual((await client.getJob(jobs[0])).gpu, { models: [0, 0, 0, 0], minVramGb: 80, family: 0x02 });
    assert.deepEqual((await client.getJob(jobs[1])).gpu, { models: [0x0101, 0x0201, 0, 0], minVramGb: 0, family: 0 });

    const assign = async (job: number, provider: { key: KeyPairSigner; client: MarketClient }, expected: string | null) => {
      const [account, stored] = [await client.getJob(jobs[job]), await provider.client.getProvider(provider.key.address)];
      assert.equal(gpuRefusal(account, stored as Provider), expected, "the client's check agrees with the program's");
      const sent = client.send([await client.assignJob(jobs[job], clientKey.address, provider.key.address, PRICE)]);
      if (expected) await refusedAs(sent, expected);
      else await sent;
    };
    await assign(0, rtx, "GpuMemoryTooSmall");
    await assign(1, a100, "GpuModelNotAccepted");
    await assign(2, a100, "GpuModelNotAccepted");
    await assign(0, a100, null);
    await assign(2, rtx, null);
    const taken = await client.getJob(jobs[0]);
    assert.equal(taken.status, JobStatus.Assigned);
    assert.equal(taken.provider, a100.key.address);
    assert.equal((await client.getJob(jobs[1])).status, JobStatus.Open);
    const busy = await a100.client.getProvider(a100.key.address);
    assert.deepEqual([busy.gpuModel, busy.vramGb, busy.free.gpus], [0x0202, 80, 3]);
  });
});
