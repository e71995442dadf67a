import { JobStatus, type Job } from "@compute-market/client";
import { describe, expect, it } from "vitest";
import { schedule } from "./schedule";

const n = (v: number) => BigInt(v);
// The job's own windows, unlike any market's: the schedule must come from these.
const windows = { startWindowSecs: 120, reviewWindowSecs: 900, graceSecs: 60, disputeWindowSecs: 7_200 };
const job = (status: JobStatus, extra: Partial<Job> = {}): Job => ({
  status, windows, durationSecs: 3_600, assignedAt: n(1_000), startDeadline: n(1_120), runDeadline: n(5_000), graceDeadline: n(5_060),
  reviewDeadline: n(6_000), disputeDeadline: n(9_000), ...extra,
} as Job);

describe("a job's schedule", () => {
  it("uses the windows the job was posted under for what is still to come", () => {
    expect(schedule(job(JobStatus.Open))).toEqual([
      { label: "once assigned, the provider starts it within", within: 120 },
      { label: "once started, it runs for", within: 3_600 },
      { label: "a late result is still accepted for", within: 60 },
      { label: "the client reviews a result for", within: 900 },
    ]);
    expect(schedule(job(JobStatus.Running))).toContainEqual({ label: "the client reviews a result for", within: 900 });
    expect(schedule(job(JobStatus.Submitted))).toContainEqual({ label: "a dispute would be ruled on within", within: 7_200 });
  });

  it("uses the deadlines the program set, and when the client may take the job back", () => {
    expect(schedule(job(JobStatus.Assigned))).toEqual([
      { label: "start by", at: 1_120 },
      { label: "the client may take it back if not started from", at: 1_600 },
      { label: "once started, it runs for", within: 3_600 },
    ]);
    expect(schedule(job(JobStatus.Running)).slice(0, 2)).toEqual([{ label: "result due", at: 5_000 }, { label: "accepted late until", at: 5_060 }]);
    expect(schedule(job(JobStatus.Disputed))[0].at).toBe(9_000);
    expect(schedule(job(JobStatus.Completed))).toEqual([]);
  });
});
