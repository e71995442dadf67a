// What the index does not carry, read from the accounts (100 a request): the GPU model, memory and CPU architecture
// of providers that offer GPUs, and the GPU needs of jobs that ask for GPUs. (A job's bond terms come with the index.)
import { generated, type Job, type Keyed, type MarketClient, type Provider } from "@compute-market/client";
import { fetchEncodedAccounts } from "@solana/kit";

const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** Reads the accounts of `items` (100 a request) and decodes those that exist, by address. */
async function decodeAll<T extends object>(client: MarketClient, items: Keyed<unknown>[], decode: (data: Uint8Array) => T): Promise<Map<string, T>> {
  const found = new Map<string, T>();
  const read = await Promise.all(chunks(items, 100).map((chunk) => fetchEncodedAccounts(client.rpc, chunk.map((i) => i.address), { commitment: "confirmed" })));
  read.flat().forEach((account, i) => {
    if (account.exists) found.set(items[i].address, decode(account.data as Uint8Array));
  });
  return found;
}

/** `providers` with the hardware their accounts hold, `jobs` with the GPU needs theirs hold (see above). */
export async function withAccountDetails(client: MarketClient, providers: Keyed<Provider>[], jobs: Keyed<Job>[]): Promise<{ providers: Keyed<Provider>[]; jobs: Keyed<Job>[] }> {
  const gpuProviders = providers.filter((p) => p.account.capacity.gpus > 0);
  const gpuJobs = jobs.filter((j) => j.account.requirements.gpus > 0);
  const providerDecoder = generated.getProviderDecoder();
  const jobDecoder = generated.getJobDecoder();
  const [hardware, needs] = await Promise.all([
    decodeAll(client, gpuProviders, (data) => providerDecoder.decode(data)),
    decodeAll(client, gpuJobs, (data) => jobDecoder.decode(data).gpu),
  ]);
  return {
    providers: providers.map((p) => {
      const h = hardware.get(p.address);
      return h ? { ...p, account: { ...p.account, gpuModel: h.gpuModel, vramGb: h.vramGb, cpuArch: h.cpuArch } } : p;
    }),
    jobs: jobs.map((j) => {
      const gpu = needs.get(j.address);
      return gpu ? { ...j, account: { ...j.account, gpu } } : j;
    }),
  };
}
