import { DateTime } from "../components/clock.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

export type JobStatusView = "pending" | "running" | "done" | "failed";

export interface JobRowView {
  id: string;
  kind: string;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  updatedAt: Date;
  lastError: string | null;
}

export interface JobsPageProps {
  me: { name: string; role: string };
  counts: Record<JobStatusView, number>;
  /** The latest few of each state. */
  lists: Record<JobStatusView, JobRowView[]>;
}

const LISTS: ReadonlyArray<[JobStatusView, title: string, timeLabel: string, empty: string]> = [
  ["failed", "Failed", "Failed at", "No job has failed."],
  ["running", "Running", "Claimed at", "No job is running."],
  ["pending", "Pending", "Runs at", "No job is waiting."],
  ["done", "Done", "Done at", "No job has finished yet."],
];

/** Pending jobs show when they run next; the others when they last changed. */
const shownTime = (status: JobStatusView, job: JobRowView) => (status === "pending" ? job.runAt : job.updatedAt);

function JobList(props: { status: JobStatusView; title: string; timeLabel: string; empty: string; jobs: JobRowView[]; count: number }) {
  const id = `jobs-${props.status}`;
  return (
    <section class="card" aria-labelledby={`${id}-title`} id={id}>
      <h3 id={`${id}-title`} safe>
        {props.title}
      </h3>
      {props.jobs.length === 0 ? (
        <p safe>{props.empty}</p>
      ) : (
        <div class="table-scroll" tabindex="0" role="region" aria-label={`${props.title} jobs table`}>
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col" class="num">
                  Tries
                </th>
                <th scope="col" safe>
                  {props.timeLabel}
                </th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {props.jobs.map((job) => (
                <tr data-job-id={job.id}>
                  <td safe>{job.kind}</td>
                  <td class="num" safe>{`${job.attempts} of ${job.maxAttempts}`}</td>
                  <td>
                    <DateTime at={shownTime(props.status, job)} zone />
                  </td>
                  <td safe>{job.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.count > props.jobs.length ? <p class="lead" safe>{`The ${props.jobs.length} most recent of ${props.count}.`}</p> : ""}
    </section>
  );
}

/** /settings/jobs (admins): how many jobs are in each state, and the latest of each, failed first. */
export function JobsPage(props: JobsPageProps) {
  const c = props.counts;
  return (
    <SettingsLayout title="Jobs" current="jobs" agent={props.me} styles={["/public/analytics.css"]}>
      <h2>Jobs</h2>
      <p class="lead">
        Work that runs in the background and survives a restart, such as emails. A failed try is repeated later, waiting longer each
        time, until the job runs out of tries.
      </p>
      <dl class="job-counts">
        {LISTS.map(([status, title]) => (
          <div>
            <dt safe>{title}</dt>
            <dd data-count={status} safe>
              {String(c[status])}
            </dd>
          </div>
        ))}
      </dl>
      {LISTS.map(([status, title, timeLabel, empty]) => (
        <JobList status={status} title={title} timeLabel={timeLabel} empty={empty} jobs={props.lists[status]} count={c[status]} />
      ))}
    </SettingsLayout>
  );
}
