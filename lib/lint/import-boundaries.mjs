/**
 * The ESLint plugin behind the layer rules in eslint.config.mjs. One rule implementation, registered
 * under one name per layer: flat config replaces (does not merge) the options of a rule that two config
 * objects set for the same file, so a file in two layers (lib/trajectory is also browser-side) would
 * silently lose one layer's limits if the layers shared a rule name.
 *
 * What it checks: `import … from`, `export … from`, `import()` with a literal specifier and type-level
 * `import("…")`. Relative specifiers are resolved against the file and compared in their `@/…` form, so
 * `../db/client` and `@/lib/db/client` are the same import. An entry matches a module and its subpaths
 * (`pg` matches `pg` and `pg/lib/x`, `@/lib/db` matches `@/lib/db/client`); `node:` matches every
 * `node:*` specifier.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

const entryList = { type: "array", items: { type: "string" } };

const OPTIONS_SCHEMA = [
  {
    type: "object",
    properties: {
      /** How the messages name the layer, e.g. "browser-side code". */
      layer: { type: "string" },
      /** Modules this layer may not import, each group with the reason shown in the message. */
      forbid: {
        type: "array",
        items: {
          type: "object",
          properties: { modules: entryList, reason: { type: "string" } },
          required: ["modules", "reason"],
          additionalProperties: false,
        },
      },
      /** When set, the only modules this layer may import. */
      allowOnly: {
        type: "object",
        properties: { modules: entryList, reason: { type: "string" } },
        required: ["modules", "reason"],
        additionalProperties: false,
      },
      /** Check only files whose first statement is the "use client" directive. */
      onlyClientModules: { type: "boolean" },
    },
    required: ["layer"],
    additionalProperties: false,
  },
];

function matches(specifier, entry) {
  if (entry.endsWith(":")) return specifier.startsWith(entry);
  return specifier === entry || specifier.startsWith(`${entry}/`);
}

/** `./x` and `../x` as the `@/…` path they point at (or unchanged when they leave the repository). */
function normalise(specifier, filename) {
  if (!specifier.startsWith("./") && !specifier.startsWith("../") && specifier !== "." && specifier !== "..") return specifier;
  const target = path.resolve(path.dirname(filename), specifier);
  const relative = path.relative(REPOSITORY_ROOT, target);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return specifier;
  return `@/${relative.split(path.sep).join("/")}`;
}

function isClientModule(program) {
  const first = program.body[0];
  return first?.type === "ExpressionStatement" && first.directive === "use client";
}

function literalSpecifier(node) {
  if (!node) return null;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  if (node.type === "TSLiteralType") return literalSpecifier(node.literal);
  return null;
}

const layerRule = {
  meta: {
    type: "problem",
    docs: { description: "Keeps a layer's imports (static, re-exports and import()) inside its boundary" },
    schema: OPTIONS_SCHEMA,
    messages: { forbidden: '{{layer}} must not import "{{specifier}}": {{reason}}' },
  },
  create(context) {
    const options = context.options[0] ?? { layer: "this layer" };
    const filename = context.filename;

    function check(node, sourceNode) {
      const specifier = literalSpecifier(sourceNode);
      if (specifier === null) return;
      const normalised = normalise(specifier, filename);
      const report = (reason) => context.report({ node, messageId: "forbidden", data: { layer: options.layer, specifier, reason } });
      if (options.allowOnly && !options.allowOnly.modules.some((entry) => matches(normalised, entry))) {
        report(options.allowOnly.reason);
        return;
      }
      const group = (options.forbid ?? []).find(({ modules }) => modules.some((entry) => matches(normalised, entry)));
      if (group) report(group.reason);
    }

    let active = true;
    return {
      Program(program) {
        active = !options.onlyClientModules || isClientModule(program);
      },
      ImportDeclaration: (node) => active && check(node, node.source),
      ExportNamedDeclaration: (node) => active && node.source && check(node, node.source),
      ExportAllDeclaration: (node) => active && check(node, node.source),
      ImportExpression: (node) => active && check(node, node.source),
      TSImportType: (node) => active && check(node, node.argument),
    };
  },
};

/** Builds the plugin with one copy of the rule per layer name. */
export function importBoundariesPlugin(layerNames) {
  return {
    meta: { name: "atlas-import-boundaries" },
    rules: Object.fromEntries(layerNames.map((name) => [name, layerRule])),
  };
}
