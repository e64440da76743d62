// Validate documents with Ajv in strict mode, as SchemaStore does: read {schema, draft, keywords,
// documents} as JSON on stdin, print one {valid, errors} per document. Needs ajv on NODE_PATH.
"use strict";
const chunks = [];
process.stdin.on("data", (c) => chunks.push(c));
process.stdin.on("end", () => {
  const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const Ajv = input.draft === "2020-12" ? require("ajv/dist/2020").default : require("ajv").default;
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: input.allowUnionTypes !== false });
  for (const keyword of input.keywords) ajv.addKeyword(keyword);
  let validate;
  try {
    validate = ajv.compile(input.schema);
  } catch (err) {
    process.stdout.write(JSON.stringify({ compileError: String(err.message) }));
    return;
  }
  const results = input.documents.map((doc) => {
    const valid = validate(doc);
    const errors = (validate.errors || []).map((e) => ({ instancePath: e.instancePath, keyword: e.keyword, params: e.params }));
    return { valid, errors };
  });
  process.stdout.write(JSON.stringify({ results }));
});
