import { EmailButton, EmailLayout } from "./email-layout.tsx";
import { oneLine } from "./email-text.ts";

export interface QueueAlertEmailProps {
  /** The customer's display name (src/contacts/display-name.ts). */
  customer: string;
  inbox: string;
  /** Whole minutes the customer has waited in the queue so far. */
  waitedMinutes: number;
  /** The account's alert wait. */
  alertMinutes: number;
  /** Customers waiting in the queue now. */
  waiting: number;
  conversationUrl: string;
  profileUrl: string;
}

const minutes = (n: number) => `${n} ${n === 1 ? "minute" : "minutes"}`;

export function queueAlertSubject(props: Pick<QueueAlertEmailProps, "customer" | "waitedMinutes">): string {
  return `${oneLine(props.customer, 60)} has waited ${minutes(props.waitedMinutes)} in the queue`;
}

const waitingLine = (n: number) => (n === 1 ? "1 customer is waiting in the queue now." : `${n} customers are waiting in the queue now.`);

const WHY = "You get this because you are an admin with queue alerts on; turn them off in your profile.";

/** To admins with the queue alert on: a customer has waited longer than the account's alert wait. */
export function QueueAlertEmail(props: QueueAlertEmailProps) {
  return (
    <EmailLayout
      lang="en"
      title={queueAlertSubject(props)}
      footer={
        <p style="margin:0">
          You get this because you are an admin with queue alerts on; <a href={props.profileUrl}>turn them off in your profile</a>.
        </p>
      }
    >
      <p style="margin:0 0 12px">
        <strong safe>{props.customer}</strong> has waited <span safe>{minutes(props.waitedMinutes)}</span> in the queue of{" "}
        <span safe>{props.inbox}</span>, longer than the alert wait of <span safe>{minutes(props.alertMinutes)}</span>.
      </p>
      <p style="margin:0" safe>
        {waitingLine(props.waiting)}
      </p>
      <EmailButton href={props.conversationUrl}>Open the conversation</EmailButton>
    </EmailLayout>
  );
}

export function queueAlertText(props: QueueAlertEmailProps): string {
  return (
    `${props.customer} has waited ${minutes(props.waitedMinutes)} in the queue of ${props.inbox}, longer than the alert wait of ${minutes(props.alertMinutes)}.\n` +
    `${waitingLine(props.waiting)}\n\nOpen the conversation: ${props.conversationUrl}\n\n-- \n${WHY}\n${props.profileUrl}\n`
  );
}
