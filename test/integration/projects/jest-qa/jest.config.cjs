// A CommonJS Jest project whose evals are TypeScript, compiled by ts-jest (default) or by
// @swc/jest (FIXTURE_TRANSFORM=swc). Extra options come from each integration test's command line.
const transform =
  process.env.FIXTURE_TRANSFORM === 'swc'
    ? { '^.+\\.ts$': ['@swc/jest', {}] }
    : { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] }

module.exports = {
  testMatch: ['**/evals/**/*.eval.ts'],
  testEnvironment: 'node',
  transform,
  // Imports name the compiled file ('../ran.js'), as NodeNext TypeScript requires.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFilesAfterEnv: ['evalgate/jest'],
  reporters: ['default', ['evalgate/jest-reporter', {}]],
}
