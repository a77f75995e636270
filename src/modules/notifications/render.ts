/**
 * Email templates are Liquid (liquidjs): admins edit them, so the engine is one that cannot reach
 * the file system or run code, with every output HTML-escaped in the html part. Subjects and text
 * parts are plain text and are not escaped. Limits bound what a template may cost to parse and render.
 */
import { Liquid } from 'liquidjs';

export interface TemplateSource {
  subject: string;
  html: string;
  text: string;
}
export type Rendered = TemplateSource;
export type TemplateValues = Record<string, string | number>;

const common = {
  strictVariables: true,
  strictFilters: true,
  ownPropertyOnly: true,
  // An in-memory, empty file system: {% include %} and {% render %} find nothing instead of reading disk.
  templates: {},
  parseLimit: 100_000,
  renderLimit: 500,
  memoryLimit: 10_000_000,
};

const htmlEngine = new Liquid({ ...common, outputEscape: 'escape' });
// `raw` would print a user's name unescaped into the html; here it is the identity, so escaping still applies.
htmlEngine.registerFilter('raw', (v: unknown) => v);
const textEngine = new Liquid(common);

const parts = ['subject', 'html', 'text'] as const;
const engineOf = (part: (typeof parts)[number]) => (part === 'html' ? htmlEngine : textEngine);

/** What is wrong with a template: a syntax error, or a variable the message does not have. Empty when it is fine. */
export function templateProblems(source: TemplateSource, allowed: readonly string[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  for (const part of parts) {
    let names: string[];
    try {
      // Analysis follows {% include %}/{% render %}, which find nothing here: that is a problem too.
      names = engineOf(part).globalVariablesSync(engineOf(part).parse(source[part]));
    } catch (err) {
      problems.push({ path: `body.${part}`, message: `template syntax: ${firstLine(err)}` });
      continue;
    }
    const unknown = names.filter((name) => !allowed.includes(name));
    if (unknown.length > 0) problems.push({ path: `body.${part}`, message: `unknown variable ${unknown.join(', ')}; this message has ${allowed.join(', ')}` });
  }
  return problems;
}

export async function renderTemplate(source: TemplateSource, values: TemplateValues): Promise<Rendered> {
  const [subject, html, text] = await Promise.all(parts.map((part) => engineOf(part).parseAndRender(source[part], values) as Promise<string>));
  // A header line: folded whitespace only.
  return { subject: subject!.replace(/\s+/g, ' ').trim(), html: html!, text: text! };
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
}
