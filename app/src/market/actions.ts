// What a wallet may do with a job now, following the program's rules for each state and deadline, so the
// job screens offer only actions that can succeed (the program checks again).
import { DEFAULT_DISPUTE_PROVIDER_BPS, JobStatus, TAKE_BACK_AFTER_SECS, type Job } from "@compute-market/client";
import type { Address } from "@solana/kit";

export type JobAction = "cancel" | "take-back" | "decline" | "complete" | "dispute" | "finalize" | "expire" | "close" | "start" | "submit";

export interface Offered {
  action: JobAction;
  /** Why, in the job's own terms. */
  because: string;
  /** Unix time from which the program allows it, when that is still to come: the button waits until then. */
  from?: number;
}

const FINAL = [JobStatus.Completed, JobStatus.Expired, JobStatus.Resolved];

/** The actions `me` may take on `job` at unix time `now`. */
export function jobActions(job: Job, me: Address | null, now: number): Offered[] {
  const isClient = me !== null && job.client === me;
  const isProvider = me !== null && job.status !== JobStatus.Open && job.provider === me;
  const at = (deadline: { toString(): string }) => Number(deadline.toString());
  const offered: Offered[] = [];
  const add = (action: JobAction, because: string, from?: number) => offered.push(from !== undefined && from > now ? { action, because, from } : { action, because });
  switch (job.status) {
    case JobStatus.Open:
      if (isClient) add("cancel", "nobody has taken the job yet; cancelling refunds the whole escrow");
      break;
    case JobStatus.Assigned:
      if (isProvider && now <= at(job.startDeadline)) add("start", "the job is assigned to you");
      if (isProvider) add("decline", "you have not started it; declining returns it to the market, at no cost to your reputation");
      if (isClient) {
        add("take-back", "the provider has not started it; taking it back returns it to Open, to cancel or give to another provider",
          at(job.assignedAt) + TAKE_BACK_AFTER_SECS);
      }
      if (me && now > at(job.startDeadline)) add("expire", "the provider did not start it in time; expiring refunds the client");
      break;
    case JobStatus.Running:
      if (isProvider && now <= at(job.graceDeadline)) add("submit", "the job is running on your machine; a result is accepted until the deadline's grace ends");
      if (me && now > at(job.graceDeadline)) add("expire", "no result by the deadline and its grace; expiring refunds the client");
      break;
    case JobStatus.Submitted:
      if (isClient && now <= at(job.reviewDeadline)) {
        add("complete", "the result is in; completing pays the provider");
        add("dispute", "the review window is open");
      }
      if (me && now > at(job.reviewDeadline)) add("finalize", "the review window closed; finalizing pays the provider");
      break;
    case JobStatus.Disputed:
      if (me && now > at(job.disputeDeadline)) {
        add("expire", `nobody ruled on the dispute in time; expiring settles it by the default split (${DEFAULT_DISPUTE_PROVIDER_BPS / 100}% of the pay for the work to the provider, the rest to the client)`);
      }
      break;
  }
  if (isClient && FINAL.includes(job.status)) add("close", "the job is settled; closing returns its rent");
  return offered;
}

/** When the client may add time to its job (extend_job): `open` now or not, and the last unix time it may. */
export interface ExtensionWindow {
  open: boolean;
  until: number;
}

/**
 * Whether `me` may extend `job` at unix time `now`: only its client, an assigned job until its start deadline, a
 * running one before its run deadline (null when never: someone else's job, or one in another state).
 */
export function extensionWindow(job: Job, me: Address | null, now: number): ExtensionWindow | null {
  if (me === null || job.client !== me) return null;
  const at = (deadline: { toString(): string }) => Number(deadline.toString());
  const until = job.status === JobStatus.Assigned ? at(job.startDeadline) : job.status === JobStatus.Running ? at(job.runDeadline) - 1 : null;
  return until === null ? null : { open: now <= until, until };
}

/** The status of a job in words. */
export function statusName(status: number): string {
  return JobStatus[status] ?? `unknown (${status})`;
}
