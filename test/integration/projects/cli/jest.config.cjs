// The Jest variant of the evalgate command's fixture (evals/jest/, the same datasets as the
// Vitest one): shards for `evalgate merge`. The artifact goes to $EVALGATE_REPORT.
module.exports = {
  testMatch: ['**/evals/jest/**/*.eval.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', {}] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFilesAfterEnv: ['evalgate/jest'],
  reporters: ['default', ['evalgate/jest-reporter', {}]],
}
