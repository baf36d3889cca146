import { FORGET_DISCONNECTED_TASK } from "@audnix/core";
import { parseCronItems } from "graphile-worker";
import type { TaskName } from "./tasks/index.ts";

const HOUR_MS = 60 * 60 * 1000;

interface Schedule {
  task: TaskName;
  /** Minute hour day-of-month month day-of-week, in UTC (graphile-worker's cron has no time zones). */
  match: string;
  /** Stable across deploys: graphile-worker tracks last runs and backfills by this id. */
  identifier: string;
  /** The `?fill=` of a crontab line: runs missed while no worker was up are queued on start. */
  backfillPeriod: number;
  maxAttempts: number;
}

const schedules: Schedule[] = [
  {
    task: "sessions:purge-expired",
    match: "0 * * * *",
    identifier: "sessions:purge-expired:hourly",
    // One missed run is enough to catch up: each run deletes everything expired so far.
    backfillPeriod: HOUR_MS,
    // The next hourly run retries anyway; a few attempts cover a brief database blip.
    maxAttempts: 3,
  },
  {
    task: "connections:refresh-instagram-tokens",
    match: "17 3 * * *",
    identifier: "connections:refresh-instagram-tokens:daily",
    // A run missed while no worker was up still happens on start: tokens refresh days ahead.
    backfillPeriod: 24 * HOUR_MS,
    // Each token's failure is handled inside the run; retries only cover the run itself failing.
    maxAttempts: 3,
  },
  {
    task: FORGET_DISCONNECTED_TASK,
    // Every 5 minutes: a disconnect's credentials outlive its 10-minute undo window by at most that.
    match: "*/5 * * * *",
    identifier: "connections:forget-disconnected:5-minutes",
    // Each run erases everything past its window, so one missed run catches up.
    backfillPeriod: 5 * 60 * 1000,
    maxAttempts: 3,
  },
  {
    task: "summaries:schedule",
    // Every 15 minutes: Monday 08:00 falls on a quarter hour in every zone (India +5:30, Nepal +5:45).
    match: "*/15 * * * *",
    identifier: "summaries:schedule:quarter-hourly",
    // Each run looks at every owner's latest due week, so one missed run catches up.
    backfillPeriod: 15 * 60 * 1000,
    maxAttempts: 3,
  },
];

export const cronItems = parseCronItems(
  schedules.map(({ task, match, identifier, backfillPeriod, maxAttempts }) => ({
    task,
    match,
    identifier,
    // Runs queued while a previous one still waits (worker down, backfill) collapse into one job.
    options: { backfillPeriod, maxAttempts, jobKey: identifier },
  })),
);
