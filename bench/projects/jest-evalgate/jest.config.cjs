// The same transform, environment and output settings as ../jest-plain: only the test differs.
module.exports = {
  testMatch: ['**/*.eval.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', {}] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  verbose: false,
  reporters: ['default', 'evalgate/jest-reporter'],
}
