// A provider's assignment policy (who besides itself may assign it jobs) as the form's two choices, and in words.
import { ASSIGN_BY_CLIENTS, ASSIGN_BY_MATCHER } from "@compute-market/client";

export interface AssignmentChoice {
  /** A job's client may assign it the job, at its published rates. */
  byClients: boolean;
  /** The market's matcher may assign it jobs. */
  byMatcher: boolean;
}

/** Both on: what the dApp offers a new provider. */
export const OPEN_TO_ALL: AssignmentChoice = { byClients: true, byMatcher: true };

export function assignmentFlags(choice: AssignmentChoice): number {
  return (choice.byClients ? ASSIGN_BY_CLIENTS : 0) | (choice.byMatcher ? ASSIGN_BY_MATCHER : 0);
}

/** The choices a stored policy makes; flags the program does not define are ignored (it refuses to store them). */
export function assignmentChoice(flags: number): AssignmentChoice {
  return { byClients: (flags & ASSIGN_BY_CLIENTS) !== 0, byMatcher: (flags & ASSIGN_BY_MATCHER) !== 0 };
}

/** Who may assign a provider with policy `flags` jobs, in words. */
export function describeAssignment(flags: number): string {
  const { byClients, byMatcher } = assignmentChoice(flags);
  if (byClients && byMatcher) return "clients and the matcher";
  if (byClients) return "clients";
  if (byMatcher) return "the matcher";
  return "only itself, by accepting";
}
