// The same transform, environment and output settings as ../jest-evalgate: only the test differs.
module.exports = {
  testMatch: ['**/*.test.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', {}] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  verbose: false,
}
