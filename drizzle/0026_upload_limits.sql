CREATE TABLE "upload_counters" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "upload_storage_mb" integer DEFAULT 1024;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "uploads_per_hour" integer DEFAULT 120;--> statement-breakpoint
ALTER TABLE "upload_counters" ADD CONSTRAINT "upload_counters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_avatar_asset_idx" ON "users" USING btree ("avatar_asset_id") WHERE "users"."avatar_asset_id" is not null;--> statement-breakpoint
CREATE INDEX "subject_images_asset_idx" ON "subject_images" USING btree ("asset_id");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_upload_limits_pos" CHECK (("plans"."upload_storage_mb" is null or "plans"."upload_storage_mb" > 0) and ("plans"."uploads_per_hour" is null or "plans"."uploads_per_hour" > 0));--> statement-breakpoint
-- Paid plans keep more than the free default (an admin changes either per plan).
UPDATE "plans" SET "upload_storage_mb" = 10240, "uploads_per_hour" = 600 WHERE "amount_minor" > 0;--> statement-breakpoint
-- Training and avatar uploads kept for good until now are checked a week from now, and go then unless a subject, a product or an avatar uses them.
UPDATE "assets" SET "expires_at" = now() + interval '7 days' WHERE "kind" IN ('training', 'avatar') AND "expires_at" IS NULL;
