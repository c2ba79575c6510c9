ALTER TABLE "contacts" ADD COLUMN "last_page_url" text;--> statement-breakpoint
ALTER TABLE "contacts" ADD COLUMN "browser" text;