// The same eval under Jest (ts-jest). No OpenAI key, no server: the judges can only answer from
// the cache (EVALGATE_CACHE_DIR, set by the test).
module.exports = {
  testMatch: ['**/jest/**/*.eval.ts'],
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFilesAfterEnv: ['evalgate/jest'],
  reporters: ['default', ['evalgate/jest-reporter', {}]],
}
