// The repr(C) layout the generator gives zero-copy accounts, on a struct that needs padding (none of the
// program's accounts do today: their padding is explicit `_reserved` bytes, which generate.mjs checks).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { accountNode, bytesTypeNode, definedTypeLinkNode, definedTypeNode, fixedSizeTypeNode, numberTypeNode, publicKeyTypeNode, structFieldTypeNode, structTypeNode } from "codama";
import { padZeroCopyAccount, structLayout } from "./zero-copy-layout.mjs";

const field = (name, type) => structFieldTypeNode({ name, type });
const discriminator = field("discriminator", fixedSizeTypeNode(bytesTypeNode(), 8));
const pair = definedTypeNode({ name: "pair", type: structTypeNode([field("a", numberTypeNode("u32")), field("b", numberTypeNode("u8"))]) });

describe("repr(C) layout", () => {
  it("aligns each field to its alignment and pads the tail to the struct's", () => {
    const fields = [field("flag", numberTypeNode("u8")), field("amount", numberTypeNode("u64")), field("count", numberTypeNode("u16"))];
    const { placed, total } = structLayout(fields, []);
    assert.deepEqual(placed.map((p) => [p.offset, p.padAfter]), [[0, 7], [8, 0], [16, 6]]);
    assert.deepEqual(total, { size: 24, align: 8 });
  });

  it("lays out nested repr(C) types and byte arrays as C does", () => {
    const fields = [field("key", publicKeyTypeNode()), field("pair", definedTypeLinkNode("pair")), field("tail", numberTypeNode("u8"))];
    const { placed, total } = structLayout(fields, [pair]);
    assert.deepEqual(placed.map((p) => p.offset), [0, 32, 40]);
    assert.deepEqual(total, { size: 44, align: 4 });
  });

  it("pads an account's fields with padded post-offsets after its discriminator, and checks its size", () => {
    const data = structTypeNode([discriminator, field("flag", numberTypeNode("u8")), field("amount", numberTypeNode("u64"))]);
    const { node } = padZeroCopyAccount(accountNode({ name: "thing", size: 24, data }), []);
    const [, flag, amount] = node.data.fields;
    assert.equal(flag.type.kind, "postOffsetTypeNode");
    assert.deepEqual([flag.type.offset, flag.type.strategy, flag.type.type.format], [7, "padded", "u8"]);
    assert.equal(amount.type.kind, "numberTypeNode");
    assert.equal(node.size, 24);
    assert.throws(() => padZeroCopyAccount(accountNode({ name: "thing", size: 17, data }), []), /Codama says 17 bytes, repr\(C\) 24/);
  });
});
