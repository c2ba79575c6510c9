CREATE TABLE "conversation_ratings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"episode_closed_at" timestamp with time zone NOT NULL,
	"rating" smallint NOT NULL,
	"comment" text,
	"agent_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_ratings_rating_range" CHECK ("conversation_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_ratings" ADD CONSTRAINT "conversation_ratings_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "conversation_ratings_episode_key" ON "conversation_ratings" USING btree ("conversation_id","episode_closed_at");--> statement-breakpoint
CREATE INDEX "conversation_ratings_created_idx" ON "conversation_ratings" USING btree ("created_at");