import { dropTestDatabases, prepareTemplates } from './helpers/databases.ts';

export async function setup(): Promise<void> {
  await prepareTemplates();
}

export async function teardown(): Promise<void> {
  await dropTestDatabases();
}
