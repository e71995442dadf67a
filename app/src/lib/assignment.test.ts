import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER } from "@compute-market/client";
import { describe, expect, it } from "vitest";
import { OPEN_TO_ALL, assignmentChoice, assignmentFlags, describeAssignment } from "./assignment";

describe("assignment policy", () => {
  it("turns the form's choices into the program's flags and back", () => {
    expect([ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER]).toEqual([1, 2]);
    expect(assignmentFlags(OPEN_TO_ALL)).toBe(3);
    expect(assignmentFlags({ byClients: true, byMatcher: false })).toBe(1);
    expect(assignmentFlags({ byClients: false, byMatcher: true })).toBe(2);
    expect(assignmentFlags({ byClients: false, byMatcher: false })).toBe(0);
    for (const flags of [0, 1, 2, 3]) expect(assignmentFlags(assignmentChoice(flags))).toBe(flags);
    expect(assignmentChoice(4 | 2)).toEqual({ byClients: false, byMatcher: true });
  });

  it("says who may assign in words", () => {
    expect([0, 1, 2, 3].map(describeAssignment)).toEqual(["only itself, by accepting", "clients", "the matcher", "clients and the matcher"]);
  });
});
