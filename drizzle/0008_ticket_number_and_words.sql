CREATE UNIQUE INDEX "tickets_number_key" ON "tickets" USING btree ("number");--> statement-breakpoint
CREATE INDEX "tickets_title_words_idx" ON "tickets" USING gin (to_tsvector('simple', "title"));