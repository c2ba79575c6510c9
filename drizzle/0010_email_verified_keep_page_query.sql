DROP INDEX "contacts_external_id_idx";--> statement-breakpoint
DROP INDEX "contacts_email_lower_idx";--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "email_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "inboxes" ADD COLUMN "keep_page_query" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "contacts_inbox_email_lower_idx" ON "contacts" USING btree ("inbox_id",lower("email")) WHERE "contacts"."email" is not null;--> statement-breakpoint
CREATE INDEX "contacts_verified_email_idx" ON "contacts" USING btree (lower("email")) WHERE "contacts"."email_verified";--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_verified_email_present" CHECK (not "contacts"."email_verified" or "contacts"."email" is not null);