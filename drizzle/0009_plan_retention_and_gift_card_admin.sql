ALTER TABLE "gift_cards" DROP CONSTRAINT "gift_cards_status_check";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "upload_retention_days" integer;--> statement-breakpoint
CREATE INDEX "gift_cards_created_idx" ON "gift_cards" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "gift_cards_code_last4_idx" ON "gift_cards" USING btree ("code_last4");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_retention_pos" CHECK (("plans"."retention_days" is null or "plans"."retention_days" > 0) and ("plans"."upload_retention_days" is null or "plans"."upload_retention_days" > 0));--> statement-breakpoint
ALTER TABLE "gift_cards" ADD CONSTRAINT "gift_cards_status_check" CHECK ("gift_cards"."status" in ('pending','active','redeemed','expired','disabled'));