// Generates src/generated/ from the committed IDL (idl/compute_market.json) with Codama:
//   node scripts/generate.mjs [out-dir]   (default: src/generated; `npm run generate`)
// On top of what @codama/nodes-from-anchor reads from the IDL, this script
//  - lays zero-copy (bytemuck, repr(C)) accounts out as the program does: it computes every field's C offset
//    and pads where C would, and fails if the layout disagrees with the IDL's offset constants;
//  - adds the Pair account (an UncheckedAccount in the instructions, so absent from the IDL's accounts);
//  - renders each event as a defined type whose codec carries its 8-byte discriminator, plus
//    events.ts: the event table that decodes "Program data:" logs.
// Versions (package.json): @codama/renderers-js 1.7.1 writes code for @solana/kit 7 (2.x writes a plugin that
// needs kit 8's types, and crashes on the empty structs of @codama/nodes 1.10+); the overrides hold the Codama
// packages at 1.10.0 and @codama/renderers-core at 1.3.11 (1.3.12 needs @codama/errors 1.10.1, not published).
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  accountNode, bytesTypeNode, bytesValueNode, createFromRoot, definedTypeNode, fieldDiscriminatorNode, fixedSizeTypeNode,
  numberTypeNode, pascalCase, publicKeyTypeNode, rootNodeVisitor, structFieldTypeNode, structTypeNode,
} from "codama";
import { rootNodeFromAnchor } from "@codama/nodes-from-anchor";
import { renderVisitor } from "@codama/renderers-js";
import { padZeroCopyAccount, structLayout } from "./zero-copy-layout.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, "..");
const out = resolve(process.argv[2] ?? join(pkg, "src/generated"));
const idlPath = join(pkg, "idl/compute_market.json");
const idl = JSON.parse(readFileSync(idlPath, "utf8"));

const idlTypes = new Map(idl.types.map((t) => [t.name, t]));
const isZeroCopy = (name) => idlTypes.get(name)?.serialization?.startsWith("bytemuck") ?? false;
const isReprC = (name) => idlTypes.get(name)?.repr?.kind === "c";

/** The IDL's offset constants (`JOB_STATUS_OFFSET` = 8 + the field's repr(C) offset) must agree with the layout. */
function checkOffsetConstants(account, placed) {
  const prefix = `${account.name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_`;
  for (const constant of idl.constants.filter((c) => c.name.startsWith(prefix) && c.name.endsWith("_OFFSET"))) {
    const field = constant.name.slice(prefix.length, -"_OFFSET".length).toLowerCase().replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    const at = placed.find((p) => p.field.name === field);
    if (!at) throw new Error(`${constant.name}: ${account.name} has no field ${field}`);
    if (8 + at.offset !== Number(constant.value)) throw new Error(`${constant.name} is ${constant.value}, the layout puts ${field} at ${8 + at.offset}`);
  }
}

// --- the tree ---

const codama = createFromRoot(rootNodeFromAnchor(idl));

/** The pair record `["pair", provider authority, client]` (programs/compute_market/src/state/pair.rs). */
const PAIR_DISCRIMINATOR = createHash("sha256").update("account:Pair").digest().subarray(0, 8);
const u64 = () => numberTypeNode("u64");
const pairAccount = accountNode({
  name: "pair",
  docs: ["The record of a provider and a client that paid it for counted work (zero-copy, 88 bytes after the discriminator)."],
  size: 8 + 88,
  data: structTypeNode([
    structFieldTypeNode({
      name: "discriminator", type: fixedSizeTypeNode(bytesTypeNode(), 8), defaultValueStrategy: "omitted",
      defaultValue: bytesValueNode("base16", PAIR_DISCRIMINATOR.toString("hex")),
    }),
    structFieldTypeNode({ name: "provider", docs: ["The provider's authority."], type: publicKeyTypeNode() }),
    structFieldTypeNode({ name: "client", type: publicKeyTypeNode() }),
    structFieldTypeNode({ name: "jobs", docs: ["Counted jobs between them."], type: u64() }),
    structFieldTypeNode({ name: "units", docs: ["Reputation units of value those jobs carried."], type: u64() }),
    structFieldTypeNode({ name: "firstAt", type: numberTypeNode("i64") }),
  ]),
  discriminators: [fieldDiscriminatorNode("discriminator")],
});
idlTypes.set("Pair", { name: "Pair", serialization: "bytemuck", repr: { kind: "c" } });

codama.update(rootNodeVisitor((root) => {
  const program = root.program;
  const definedTypes = program.definedTypes;
  // A repr(C) type shared by accounts, instructions and events must need no padding: Borsh would not pad it.
  for (const type of definedTypes) {
    const name = pascalCase(type.name);
    if (!isReprC(name) || type.type.kind !== "structTypeNode") continue;
    const { placed } = structLayout(type.type.fields, definedTypes);
    if (placed.some((p) => p.padAfter !== 0)) throw new Error(`${name} is repr(C) with padding: its Borsh and zero-copy bytes differ`);
  }
  const accounts = [...program.accounts, pairAccount].map((account) => {
    if (!isZeroCopy(pascalCase(account.name))) return account;
    const { node, placed } = padZeroCopyAccount(account, definedTypes);
    checkOffsetConstants(node, placed);
    return node;
  });
  // Events as defined types `<Name>Event`; their data starts with the hidden discriminator prefix.
  const events = program.events.map((event) => definedTypeNode({ name: `${event.name}Event`, docs: event.docs, type: event.data }));
  return { ...root, program: { ...program, accounts, definedTypes: [...definedTypes, ...events] } };
}));

// @codama/renderers-js 1.7: imports from @solana/kit only, and touches no package.json (no packageFolder).
await codama.accept(renderVisitor(out, { deleteFolderBeforeRendering: true }));

// --- events.ts: the event table ---

const root = codama.getRoot();
const discriminatorOf = (event) => {
  const constant = event.discriminators[0].constant;
  return Buffer.from(constant.value.data, constant.value.encoding === "base16" ? "hex" : constant.value.encoding);
};
const eventRows = root.program.events.map((event) => {
  const type = pascalCase(event.name);
  return `  ${type}: { discriminator: new Uint8Array([${[...discriminatorOf(event)].join(", ")}]), decoder: types.get${type}EventDecoder() },`;
});
writeFileSync(join(out, "events.ts"), `import type { Decoder, ReadonlyUint8Array } from "@solana/kit";
import * as types from "./types";

/** An event's 8-byte discriminator and the decoder of its data (discriminator included: the decoder checks it). */
export interface EventEntry {
  discriminator: ReadonlyUint8Array;
  decoder: Decoder<object>;
}

/** The program's events by name (the IDL's names). */
export const EVENTS: Record<string, EventEntry> = {
${eventRows.join("\n")}
};
`);

// --- the header every generated file carries ---

const HEADER = `// GENERATED from idl/compute_market.json by clients/ts/scripts/generate.mjs: do not edit.
// Regenerate with \`npm run generate\` in clients/ts; \`npm run generate:check\` fails if this copy is stale.
`;
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : [path];
});
for (const file of files(out).filter((f) => f.endsWith(".ts"))) {
  writeFileSync(file, HEADER + readFileSync(file, "utf8"));
}
console.log(`generated ${relative(process.cwd(), out) || "."} from ${relative(process.cwd(), idlPath)}`);
