// web3.js, Anchor and the client use Node's Buffer; browsers get the `buffer` package's.
import { Buffer } from "buffer";

globalThis.Buffer ??= Buffer;
