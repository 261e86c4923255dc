// The same eval files as under Vitest (vitest.config.mjs): they import evalgate/vitest, which Jest
// maps to evalgate/jest, so each file (and its name in the artifact) is the same under both hosts.
module.exports = {
  testMatch: ['**/*.eval.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', {}] },
  moduleNameMapper: { '^evalgate/vitest$': 'evalgate/jest' },
  setupFilesAfterEnv: ['evalgate/jest'],
}
