ALTER TABLE "user_preferences" ADD COLUMN "marketing_emails" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD COLUMN "default_studio" text;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD COLUMN "notify_generation_completed" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD COLUMN "notify_low_balance" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "user_preferences" ADD COLUMN "marketing_opted_out_at" timestamp (3) with time zone;