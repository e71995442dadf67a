// Where a job's spec comes from in the browser: inline (sent on chain as a data: URI, which must fit the
// program's 200-byte URI) or an http(s) URL the client hosts (fetched here to hash the exact bytes).
import { LIMITS, encodeSpec, parseSpec, sha256 } from "@compute-market/client";
import { byteLength } from "./forms";

export interface SpecRef {
  specUri: string;
  specHash: number[];
}

export async function inlineSpec(text: string): Promise<SpecRef> {
  const { hash, dataUri } = await encodeSpec(parseSpec(text));
  const size = byteLength(dataUri);
  if (size > LIMITS.maxUriLen) {
    throw new Error(`the spec is ${size} bytes as a data: URI and the job's URI holds ${LIMITS.maxUriLen}: host it and give its http(s) URL`);
  }
  return { specUri: dataUri, specHash: hash };
}

export async function hostedSpec(url: string, fetcher: typeof fetch = fetch): Promise<SpecRef> {
  if (!/^https?:\/\//.test(url)) throw new Error("the spec URL must start with http:// or https://");
  if (byteLength(url) > LIMITS.maxUriLen) throw new Error(`the spec URL is longer than ${LIMITS.maxUriLen} bytes`);
  let bytes: Uint8Array;
  try {
    const response = await fetcher(url);
    if (!response.ok) throw new Error(`it answered ${response.status}`);
    bytes = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`cannot fetch the spec from ${url}: ${(error as Error).message}`);
  }
  parseSpec(new TextDecoder().decode(bytes));
  return { specUri: url, specHash: [...(await sha256(bytes))] };
}
