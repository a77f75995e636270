CREATE TABLE "subject_images" (
	"subject_id" uuid NOT NULL,
	"asset_id" uuid NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "subject_images_subject_id_position_pk" PRIMARY KEY("subject_id","position"),
	CONSTRAINT "subject_images_position_range" CHECK ("subject_images"."position" between 0 and 4)
);
--> statement-breakpoint
CREATE TABLE "subjects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"gender" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"preview_asset_id" uuid,
	"training_credits" integer DEFAULT 0 NOT NULL,
	"images_count" integer DEFAULT 0 NOT NULL,
	"training_generation_id" uuid,
	"artifacts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error_code" text,
	"error_message" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subjects_status_check" CHECK ("subjects"."status" in ('pending', 'training', 'ready', 'failed')),
	CONSTRAINT "subjects_gender_check" CHECK ("subjects"."gender" in ('male', 'female'))
);
--> statement-breakpoint
ALTER TABLE "subject_images" ADD CONSTRAINT "subject_images_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_images" ADD CONSTRAINT "subject_images_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subjects" ADD CONSTRAINT "subjects_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subjects" ADD CONSTRAINT "subjects_preview_asset_id_assets_id_fk" FOREIGN KEY ("preview_asset_id") REFERENCES "public"."assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "subjects_user_created_idx" ON "subjects" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "subjects_training_generation_idx" ON "subjects" USING btree ("training_generation_id");