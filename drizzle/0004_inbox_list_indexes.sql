DROP INDEX "conversations_status_activity_idx";--> statement-breakpoint
DROP INDEX "conversations_assignee_activity_idx";--> statement-breakpoint
DROP INDEX "conversations_queue_idx";--> statement-breakpoint
CREATE INDEX "conversations_closed_activity_idx" ON "conversations" USING btree ("last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "conversations"."status" = 'closed';--> statement-breakpoint
CREATE INDEX "conversations_mine_activity_idx" ON "conversations" USING btree ("assignee_id","last_activity_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "conversations"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "conversations_queue_idx" ON "conversations" USING btree ("queued_at","id") WHERE "conversations"."status" = 'queued';