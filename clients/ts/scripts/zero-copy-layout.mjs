// Rust's repr(C) layout of Codama type nodes, for the zero-copy (bytemuck) accounts: each field's offset, the
// padding C puts after it, and a visitor's worth of rewriting that pads an account's fields the same way.
import { accountNode, postOffsetTypeNode, structFieldTypeNode, structTypeNode } from "codama";

const NUMBER_SIZES = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, u128: 16, i128: 16 };

/** Size and alignment of a type as repr(C) lays it out; `definedTypes` resolves links. */
export function layoutOf(type, definedTypes) {
  switch (type.kind) {
    case "numberTypeNode": {
      const size = NUMBER_SIZES[type.format];
      return { size, align: size };
    }
    case "publicKeyTypeNode":
      return { size: 32, align: 1 };
    case "fixedSizeTypeNode":
      return { size: type.size, align: type.type.kind === "bytesTypeNode" ? 1 : layoutOf(type.type, definedTypes).align };
    case "arrayTypeNode": {
      if (type.count.kind !== "fixedCountNode") throw new Error("a zero-copy array needs a fixed count");
      const item = layoutOf(type.item, definedTypes);
      return { size: item.size * type.count.value, align: item.align };
    }
    case "definedTypeLinkNode": {
      const found = definedTypes.find((t) => t.name === type.name);
      if (!found) throw new Error(`unknown type ${type.name}`);
      return layoutOf(found.type, definedTypes);
    }
    case "enumTypeNode":
      return layoutOf(type.size, definedTypes);
    case "structTypeNode":
      return structLayout(type.fields ?? [], definedTypes).total;
    case "postOffsetTypeNode": {
      const inner = layoutOf(type.type, definedTypes);
      return { size: inner.size + type.offset, align: inner.align };
    }
    default:
      throw new Error(`${type.kind} has no repr(C) layout`);
  }
}

/** Each field's offset and the padding C puts after it (the last one's includes the tail), and the struct's size and alignment. */
export function structLayout(fields, definedTypes) {
  let offset = 0;
  let align = 1;
  const placed = [];
  for (const field of fields) {
    const l = layoutOf(field.type, definedTypes);
    const start = Math.ceil(offset / l.align) * l.align;
    if (placed.length) placed[placed.length - 1].padAfter = start - offset;
    placed.push({ field, offset: start, padAfter: 0 });
    offset = start + l.size;
    align = Math.max(align, l.align);
  }
  const size = Math.ceil(offset / align) * align;
  if (placed.length) placed[placed.length - 1].padAfter += size - offset;
  return { placed, total: { size, align } };
}

/**
 * A zero-copy account node laid out as the program does: its 8-byte discriminator, then its fields with the padding
 * repr(C) puts after any of them as a padded post-offset (zero bytes written, skipped when read). Fails if the
 * account's declared size disagrees.
 */
export function padZeroCopyAccount(node, definedTypes) {
  const [discriminator, ...body] = node.data.fields;
  const { placed, total } = structLayout(body, definedTypes);
  const fields = placed.map(({ field, padAfter }) =>
    padAfter === 0 ? field : structFieldTypeNode({ ...field, type: postOffsetTypeNode(field.type, padAfter, "padded") }));
  const size = 8 + total.size;
  if (node.size !== undefined && node.size !== null && node.size !== size) throw new Error(`${node.name}: Codama says ${node.size} bytes, repr(C) ${size}`);
  return { node: accountNode({ ...node, size, data: structTypeNode([discriminator, ...fields]) }), placed };
}
