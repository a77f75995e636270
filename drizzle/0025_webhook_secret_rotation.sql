ALTER TABLE "users" ADD COLUMN "previous_webhook_secret" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "previous_webhook_secret_until" timestamp (3) with time zone;