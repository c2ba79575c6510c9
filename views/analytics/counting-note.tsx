/** "How these are counted": the definitions of src/analytics/queries.ts, in a reader's words. */
export function CountingNote(props: { timeZone: string }) {
  return (
    <details class="counting-note">
      <summary>How these are counted</summary>
      <dl>
        <dt>Days</dt>
        <dd safe>
          {`Days run from midnight to midnight in ${props.timeZone}, the account's time zone (admins set it in Settings, Account). A range includes its first and last day; custom ranges are at most 366 days.`}
        </dd>
        <dt>Conversations per day</dt>
        <dd>Conversations started on each day. Days without any show 0.</dd>
        <dt>First response time</dt>
        <dd>
          For each conversation whose first agent reply falls in the range: the time from when the customer first waited for a person (when the conversation
          joined the queue, which is when it started unless a bot answered first) to that reply. A conversation an agent answered before it ever joined the queue
          counts from its start.
        </dd>
        <dt>Resolution time</dt>
        <dd>For each close in the range: the time since the conversation started or, if it was reopened, since it was last reopened before that close.</dd>
        <dt>Queue wait</dt>
        <dd>
          For each time an agent claimed a conversation from the queue, or was assigned one that was waiting there, in the range: the time since it joined the
          queue (when the customer asked for a person, was put back by an agent, or wrote again after it was closed and it went back to the queue).
        </dd>
        <dt>Median and 90th percentile</dt>
        <dd>Half of the times are shorter than the median; nine in ten are shorter than the 90th percentile (both interpolated). "—" means nothing was measured.</dd>
        <dt>Agents</dt>
        <dd>
          Conversations handled: conversations in which the agent wrote in the range. Median first response: over the first responses above that the agent
          gave. Open now: conversations assigned to the agent and not closed. Deactivated agents appear while they have something to show.
        </dd>
        <dt>Needs attention now</dt>
        <dd>Open conversations whose customer wrote last and has had no answer since, whenever they started.</dd>
        <dt>Tickets</dt>
        <dd>Tickets created in the range, by their status and priority now.</dd>
        <dt>Satisfaction (CSAT)</dt>
        <dd>
          Ratings customers gave in the range (one per closed conversation, asked in the chat), on the day they gave them. Good means Good or Great (4 or 5 of 5); the
          share is good ratings of all. Per agent: the conversation's assignee when it closed.
        </dd>
        <dt>Conversations per label</dt>
        <dd>
          Conversations that carry the label now and were active in the range: started in it, or someone wrote in them during it. A conversation with two labels
          counts for each; a label taken off no longer counts.
        </dd>
        <dt>Downloads</dt>
        <dd>Each CSV holds the rows behind its figure, for the same days. Times in them are in UTC (ISO 8601); durations are in seconds.</dd>
      </dl>
    </details>
  );
}
