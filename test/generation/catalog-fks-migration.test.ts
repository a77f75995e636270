/**
 * Migration 0015 on a database written before generations had foreign keys to the catalog: rows that
 * name a deleted product, subject or template get null, and the keys can then be added. And the
 * user row's delete (account erasure), where the cascades and these SET NULL keys meet.
 * Real: the migration's SQL file, database (PGlite or PostgreSQL), app and sign-up. Stand-in: the
 * "older database" is today's schema with the four keys dropped again and orphaned rows inserted.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/platform/db/migrate.ts';
import { sqlRows } from '../helpers/app.ts';
import { createGenerationTestApp, type GenerationTestApp } from '../helpers/generation.ts';

let t: GenerationTestApp;
beforeAll(async () => {
  t = await createGenerationTestApp({ generation: {} });
});
afterAll(async () => t?.close());

const keys = [
  ['generation_batches', 'generation_batches_subject_id_subjects_id_fk'],
  ['generations', 'generations_product_id_products_id_fk'],
  ['generations', 'generations_subject_id_subjects_id_fk'],
  ['generations', 'generations_template_id_templates_id_fk'],
] as const;

const constraintsNow = async () =>
  (
    await sqlRows<{ conname: string; confdeltype: string }>(
      t,
      `select conname, confdeltype from pg_constraint where conname in (${keys.map(([, k]) => `'${k}'`).join(', ')}) order by conname`,
    )
  ).map((r) => `${r.conname}:${r.confdeltype}`);

describe('migration 0015 (generation → catalog foreign keys)', () => {
  it('sets orphaned references to null, keeps live ones, and adds the keys with ON DELETE SET NULL', async () => {
    const expected = keys.map(([, k]) => `${k}:n`).sort();
    expect(await constraintsNow()).toEqual(expected);
    for (const [table, key] of keys) await sqlRows(t, `alter table ${table} drop constraint ${key}`);

    const u = await t.user(0);
    const gone = { product: crypto.randomUUID(), subject: crypto.randomUUID(), template: crypto.randomUUID() };
    const [live] = await sqlRows<{ id: string }>(t, `insert into products (owner_id, name) values ('${u.id}', 'Kept') returning id`);
    const [batch] = await sqlRows<{ id: string }>(t, `insert into generation_batches (user_id, type, subject_id) values ('${u.id}', 'headshot', '${gone.subject}') returning id`);
    const insert = async (productId: string, subjectId: string | null, templateId: string | null) =>
      (
        await sqlRows<{ id: string }>(
          t,
          `insert into generations (user_id, type, studio, provider, credits_per_output, credits_reserved, deadline_at, product_id, subject_id, template_id)
           values ('${u.id}', 'model_shot', 'product-shots', 'local', 1, 1, now(), '${productId}', ${subjectId ? `'${subjectId}'` : 'null'}, ${templateId ? `'${templateId}'` : 'null'})
           returning id`,
        )
      )[0]!.id;
    const orphan = await insert(gone.product, gone.subject, gone.template);
    const kept = await insert(live!.id, null, null);

    const file = await fs.readFile(path.join(migrationsFolder, '0015_generation_catalog_fks.sql'), 'utf8');
    for (const statement of file.split('--> statement-breakpoint')) if (statement.trim()) await sqlRows(t, statement);

    expect(await constraintsNow()).toEqual(expected);
    expect(await sqlRows(t, `select product_id, subject_id, template_id from generations where id = '${orphan}'`)).toEqual([{ product_id: null, subject_id: null, template_id: null }]);
    expect(await sqlRows(t, `select product_id from generations where id = '${kept}'`)).toEqual([{ product_id: live!.id }]);
    expect(await sqlRows(t, `select subject_id from generation_batches where id = '${batch!.id}'`)).toEqual([{ subject_id: null }]);
  });

  it('deleting a user takes their products, subjects, batches and the generations naming them in one statement', async () => {
    const u = await t.user(0);
    const [product] = await sqlRows<{ id: string }>(t, `insert into products (owner_id, name) values ('${u.id}', 'Mug') returning id`);
    const [subject] = await sqlRows<{ id: string }>(t, `insert into subjects (user_id, name, gender) values ('${u.id}', 'Ann', 'female') returning id`);
    const [batch] = await sqlRows<{ id: string }>(t, `insert into generation_batches (user_id, type, subject_id) values ('${u.id}', 'headshot', '${subject!.id}') returning id`);
    await sqlRows(
      t,
      `insert into generations (user_id, type, studio, provider, credits_per_output, credits_reserved, deadline_at, product_id, subject_id, batch_id)
       values ('${u.id}', 'headshot', 'headshots', 'local', 1, 1, now(), '${product!.id}', '${subject!.id}', '${batch!.id}')`,
    );
    await sqlRows(t, `delete from users where id = '${u.id}'`);
    for (const [table, column] of [['products', 'owner_id'], ['subjects', 'user_id'], ['generation_batches', 'user_id'], ['generations', 'user_id']]) {
      expect(await sqlRows(t, `select 1 from ${table} where ${column} = '${u.id}'`), table).toEqual([]);
    }
  });
});
