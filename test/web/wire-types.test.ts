/**
 * The web app's wire types are the generated ones: web/src/api/types.ts names them as paths into the
 * `paths` that `npm run sdk:generate` writes from the server's OpenAPI document (the SDK's own
 * schema.d.ts, which test/platform/openapi-document.test.ts keeps in step with the server, and which
 * `npm run typecheck` compiles the web app against), and no other file in web/src declares an object
 * type with the API's snake_case fields by hand.
 * Real: the files of web/src as committed. Stand-ins: none.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB_SRC = path.resolve(import.meta.dirname, '../../web/src');
const TYPES = path.join(WEB_SRC, 'api/types.ts');

async function sources(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : Promise.resolve(/\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []))),
  );
  return nested.flat();
}

/** The text of each `interface X { … }` and `type X = …;` declaration (braces balanced). */
function declaredObjectTypes(source: string): string[] {
  const found: string[] = [];
  // A declaration, not prose that happens to say "type" (a string "this type has…", `const type of`).
  const re = /\b(interface|type)\s+\w+(?=\s*(?:<[^=]*?>)?\s*(?:=|\{|extends\b))/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const isInterface = m[1] === 'interface';
    let depth = 0;
    let i = re.lastIndex;
    for (; i < source.length; i++) {
      const c = source[i];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0 && isInterface) break;
      else if (c === ';' && depth === 0 && !isInterface) break;
    }
    found.push(source.slice(re.lastIndex, i + 1));
  }
  return found;
}

/** A member with a snake_case name (`amount_minor: number`, `readonly credits_used?: …`). */
const SNAKE_MEMBER = /[{;,]\s*(?:readonly\s+)?([a-z]+_[a-z0-9_]+)\??\s*:/;

describe('web/src wire types', () => {
  it('come from the generated schema: every exported type in api/types.ts is a path into it', async () => {
    const source = await fs.readFile(TYPES, 'utf8');
    expect(source).toContain("from '../../../clients/typescript/src/schema.d.ts'");
    const exported = [...source.matchAll(/^export type (\w+)(?:<[^=]*>)? =\s*([^;]+);/gm)];
    expect(exported.length).toBeGreaterThan(20);
    for (const [, name, definition] of exported) {
      expect(definition, name).toMatch(/^(Json<|Body<|Op<|components\[|NonNullable<|InstallationConfig\[|User\[|Problem\[|OtpRequest\[|Generation\[|Json<)/);
    }
    expect(declaredObjectTypes(source).filter((d) => SNAKE_MEMBER.test(d))).toEqual([]);
  });

  it('are declared nowhere else by hand (no object type with snake_case API fields)', async () => {
    const offenders: string[] = [];
    for (const file of await sources(WEB_SRC)) {
      if (file === TYPES) continue;
      for (const body of declaredObjectTypes(await fs.readFile(file, 'utf8'))) {
        const field = SNAKE_MEMBER.exec(body);
        if (field) offenders.push(`${path.relative(WEB_SRC, file)}: ${field[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('would catch one: the check finds a hand-written wire type', () => {
    expect(SNAKE_MEMBER.exec(declaredObjectTypes('interface Payment {\n  amount_minor: number;\n}')[0]!)?.[1]).toBe('amount_minor');
    expect(SNAKE_MEMBER.exec(declaredObjectTypes('type X = { a: string } & { readonly credits_used?: number };')[0]!)?.[1]).toBe('credits_used');
    expect(declaredObjectTypes('type Y = Json<"/a", "get">;').filter((d) => SNAKE_MEMBER.test(d))).toEqual([]);
  });
});
