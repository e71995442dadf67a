// A job's deadlines, past and to come, from its own terms: the time windows and fee it was posted under (the
// market's later changes never apply to it), and the deadlines the program has set so far.
import { DEFAULT_DISPUTE_PROVIDER_BPS, JobStatus, TAKE_BACK_AFTER_SECS, type Job } from "@compute-market/client";

export interface Step {
  label: string;
  /** A deadline already set: unix time. */
  at?: number;
  /** A deadline still to be set: this many seconds after the event in `label`. */
  within?: number;
}

const at = (value: { toString(): string }) => Number(value.toString());

/** What the job waits for next and by when. */
export function schedule(job: Job): Step[] {
  const w = job.windows;
  switch (job.status) {
    case JobStatus.Open:
      return [
        { label: "once assigned, the provider starts it within", within: w.startWindowSecs },
        { label: "once started, it runs for", within: job.durationSecs },
        { label: "a late result is still accepted for", within: w.graceSecs },
        { label: "the client reviews a result for", within: w.reviewWindowSecs },
      ];
    case JobStatus.Assigned:
      return [
        { label: "start by", at: at(job.startDeadline) },
        { label: "the client may take it back if not started from", at: at(job.assignedAt) + TAKE_BACK_AFTER_SECS },
        { label: "once started, it runs for", within: job.durationSecs },
      ];
    case JobStatus.Running:
      return [
        { label: "result due", at: at(job.runDeadline) },
        { label: "accepted late until", at: at(job.graceDeadline) },
        { label: "the client reviews a result for", within: w.reviewWindowSecs },
      ];
    case JobStatus.Submitted:
      return [
        { label: "the client reviews the result until", at: at(job.reviewDeadline) },
        { label: "a dispute would be ruled on within", within: w.disputeWindowSecs },
      ];
    case JobStatus.Disputed:
      return [{ label: `ruling due by (then the default split: ${DEFAULT_DISPUTE_PROVIDER_BPS / 100}% of the pay for the work to the provider)`, at: at(job.disputeDeadline) }];
    default:
      return [];
  }
}
