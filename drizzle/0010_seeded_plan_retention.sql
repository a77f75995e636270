-- Retention of the seeded plans (decision 013): free plans keep uploads and results 30 days; paid
-- plans keep uploads a year and results until deleted. A value an operator has already changed
-- from the one 0002 seeded is left alone.
UPDATE "plans" SET "retention_days" = 30 WHERE "name" = 'free' AND "retention_days" = 7;--> statement-breakpoint
UPDATE "plans" SET "retention_days" = 30 WHERE "name" = 'vendor_free' AND "retention_days" IS NULL;--> statement-breakpoint
UPDATE "plans" SET "retention_days" = NULL WHERE ("name", "retention_days") IN (('basic', 30), ('advanced', 90));--> statement-breakpoint
UPDATE "plans" SET "upload_retention_days" = 30 WHERE "name" IN ('free', 'vendor_free') AND "upload_retention_days" IS NULL;--> statement-breakpoint
UPDATE "plans" SET "upload_retention_days" = 365 WHERE "name" IN ('basic', 'advanced', 'vendor_pro') AND "upload_retention_days" IS NULL;
