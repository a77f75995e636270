CREATE TABLE "oauth_login_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"provider" text NOT NULL,
	"code_verifier" text NOT NULL,
	"nonce" text,
	"return_path" text NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "auth_identities" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "auth_identities" ADD COLUMN "email_verified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "auth_identities" ADD COLUMN "last_login_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "oauth_login_states_expires_at_idx" ON "oauth_login_states" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_identities_user_provider_key" ON "auth_identities" USING btree ("user_id","provider");