ALTER TABLE "account_settings" ADD COLUMN "queue_alert_minutes" integer;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notify_email" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notify_queue_email" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "inbox_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_unsubscribed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_prompt_done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reply_emailed_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "reply_emails" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "reply_email_delay_minutes" integer DEFAULT 5 NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "email_sender_name" text;