-- Rows written before these keys existed may name a product, subject or template deleted since:
-- they get null, as the keys' ON DELETE SET NULL would have done, so the constraints can be added.
UPDATE "generation_batches" SET "subject_id" = NULL WHERE "subject_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "subjects" s WHERE s."id" = "generation_batches"."subject_id");--> statement-breakpoint
UPDATE "generations" SET "product_id" = NULL WHERE "product_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "products" p WHERE p."id" = "generations"."product_id");--> statement-breakpoint
UPDATE "generations" SET "subject_id" = NULL WHERE "subject_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "subjects" s WHERE s."id" = "generations"."subject_id");--> statement-breakpoint
UPDATE "generations" SET "template_id" = NULL WHERE "template_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "templates" t WHERE t."id" = "generations"."template_id");--> statement-breakpoint
ALTER TABLE "generation_batches" ADD CONSTRAINT "generation_batches_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_subject_id_subjects_id_fk" FOREIGN KEY ("subject_id") REFERENCES "public"."subjects"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_template_id_templates_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."templates"("id") ON DELETE set null ON UPDATE no action;