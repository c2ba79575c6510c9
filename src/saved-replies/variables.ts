// The variables a saved reply's text may hold ({{contact.name}}, ...), filled in for one
// conversation when the reply is offered in the composer. A variable may name its own fallback
// after a bar: {{contact.name|friend}}.

/** Each variable, and what it becomes when the conversation has no value for it. */
export const VARIABLES = {
  // "Hi {{contact.name}}," reads "Hi there," for a visitor who never gave a name.
  "contact.name": "there",
  // "We wrote to {{contact.email}}" reads "We wrote to your email address".
  "contact.email": "your email address",
  // Agents always have a name; this covers an empty one.
  "agent.name": "the team",
} as const;

export type VariableName = keyof typeof VARIABLES;
export type VariableValues = Partial<Record<VariableName, string | null | undefined>>;

/** Every {{...}}: what is inside is a variable's name, optionally `|` and a fallback. */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

function parse(inside: string): { name: string; fallback: string | undefined } {
  const bar = inside.indexOf("|");
  const name = (bar < 0 ? inside : inside.slice(0, bar)).trim().toLowerCase();
  return { name, fallback: bar < 0 ? undefined : inside.slice(bar + 1).trim() };
}

const isVariable = (name: string): name is VariableName => Object.hasOwn(VARIABLES, name);

/**
 * The text with each known variable replaced by its value, or, when the value is missing or
 * blank, by the fallback the text names or else the variable's own (VARIABLES). Names are read
 * in any case and with spaces around them; anything else in braces is left as written (saving
 * refuses it, see unknownVariables).
 */
export function fillVariables(text: string, values: VariableValues): string {
  return text.replace(PLACEHOLDER, (whole, inside: string) => {
    const { name, fallback } = parse(inside);
    if (!isVariable(name)) return whole;
    const value = values[name]?.trim();
    return value || (fallback ?? VARIABLES[name]);
  });
}

/** The {{...}} of a text that name no variable, as written, once each. */
export function unknownVariables(text: string): string[] {
  const unknown = [...text.matchAll(PLACEHOLDER)].filter((m) => !isVariable(parse(m[1]!).name)).map((m) => m[0]);
  return [...new Set(unknown)];
}

/** "{{contact.name}}, {{contact.email}} or {{agent.name}}", for hints and messages. */
export const VARIABLE_LIST = Object.keys(VARIABLES)
  .map((name) => `{{${name}}}`)
  .join(", ")
  .replace(/, ([^,]*)$/, " or $1");
